import { CardFactory, type Attachment } from 'botbuilder';
import { english, type Translator } from '../text/i18n';
import type { Language } from '../text/language';

/**
 * The example requests the welcome card shows, by topic and language. Each one works for any
 * user, including the default Playground user (test/teams/welcomeCard.test.ts sends every one
 * through the server).
 */
export const WELCOME_EXAMPLES_BY_LANGUAGE = {
  en: {
    orders: ['Where is order ORD-10421?', 'Show my orders'],
    tickets: ['Open a ticket: my laptop will not boot', 'Status of TKT-000001'],
    knowledge: ['How do I return an item?', 'What are your opening hours?'],
  },
  'zh-CN': {
    orders: ['查一下订单 ORD-10421', '显示我的订单'],
    tickets: ['帮我开个工单,笔记本电脑开不了机', '查一下工单 TKT-000001'],
    knowledge: ['退款需要多长时间?', '包裹丢了怎么办'],
  },
} as const satisfies Record<Language, Record<'orders' | 'tickets' | 'knowledge', readonly string[]>>;

const TOPIC_TITLE = {
  orders: 'welcome.orders',
  tickets: 'welcome.tickets',
  knowledge: 'welcome.knowledge',
} as const;

/**
 * The card sent when the bot is installed in a chat or team: what it can do and how to ask, in
 * `tr`'s language (the client's locale: an install carries no text).
 */
export function welcomeCard(options: { inChannel: boolean }, tr: Translator = english): Attachment {
  const ask = options.inChannel ? tr.t('welcome.askInChannel') : tr.t('welcome.ask');
  const quote = (e: string) => (tr.language === 'en' ? `"${e}"` : `“${e}”`);
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: tr.t('welcome.title'), weight: 'Bolder', size: 'Large', wrap: true },
      { type: 'TextBlock', wrap: true, text: tr.t('welcome.intro') },
      { type: 'TextBlock', text: ask, wrap: true, spacing: 'Medium' },
      {
        type: 'FactSet',
        facts: [
          ...Object.entries(WELCOME_EXAMPLES_BY_LANGUAGE[tr.language]).map(([topic, examples]) => ({
            title: tr.t(TOPIC_TITLE[topic as keyof typeof TOPIC_TITLE]),
            value: examples.map(quote).join(' · '),
          })),
          { title: tr.t('welcome.commands'), value: tr.t('welcome.commandsValue') },
        ],
      },
    ],
  });
}
