import { CardFactory, type Attachment } from 'botbuilder';

/**
 * The example requests the welcome card shows, by topic. Each one works for any user, including
 * the default Playground user (test/teams/welcomeCard.test.ts sends every one through the server).
 */
export const WELCOME_EXAMPLES = {
  Orders: ['Where is order ORD-10421?', 'Show my orders'],
  Tickets: ['Open a ticket: my laptop will not boot', 'Status of TKT-000001'],
  Knowledge: ['How do I return an item?', 'What are your opening hours?'],
} as const;

/** The card sent when the bot is installed in a chat or team: what it can do and how to ask. */
export function welcomeCard(options: { inChannel: boolean }): Attachment {
  const ask = options.inChannel
    ? 'Mention me (@Service Bot) and ask, for example:'
    : 'Just ask, for example:';
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Hi, I am the Service Bot', weight: 'Bolder', size: 'Large', wrap: true },
      {
        type: 'TextBlock',
        wrap: true,
        text: 'I look up orders, open and track support tickets, and answer questions from the company knowledge base, with sources you can check.',
      },
      { type: 'TextBlock', text: ask, wrap: true, spacing: 'Medium' },
      {
        type: 'FactSet',
        facts: [
          ...Object.entries(WELCOME_EXAMPLES).map(([title, examples]) => ({
            title,
            value: examples.map((e) => `"${e}"`).join(' · '),
          })),
          { title: 'Commands', value: '"help" shows this again · "reset" starts the conversation over' },
        ],
      },
    ],
  });
}
