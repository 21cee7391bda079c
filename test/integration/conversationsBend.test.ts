import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, type ConversationRef } from '../helpers/activities';
import { cardsOf, hasCardAction, shownText } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';

/**
 * "Conversations that bend" (#12), embedded mode through the real server and connector: ids in
 * other forms as slot answers, thanks, a knowledge digression inside a flow that then resumes,
 * and corrections right after an order lookup. Alex owns ORD-10421 (shipped), ORD-10422
 * (processing) and ORD-10388 (delivered) in data/sample/orders.json.
 */
let t: BotUnderTest;

beforeAll(async () => {
  // Many turns from one user in a minute: the per-user rate limit is not what is tested here.
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});
beforeEach(() => t.connector.reset());

const shown = shownText;
const textOf = (calls: ConnectorCall[]) => calls.map((c) => String(c.activity.text ?? '')).join('\n');
const say = async (conv: ConversationRef, text: string) => t.say(conv, text);
const NOT_FOUND_KB = /couldn't find (?:anything about )?that in the knowledge base/i;

async function askForOrder(conv: ConversationRef) {
  expect(textOf(await say(conv, 'I want to check an order'))).toMatch(/Which order number\?/);
}

describe('ids in other forms answer a pending question', () => {
  it.each(['10421', 'ord-10421', 'ORD 10421', "it's order 10421"])(
    '"%s" after "Which order number?" gives ORD-10421\'s status',
    async (answer) => {
      const conv = personalConversation();
      await askForOrder(conv);
      const reply = shown(await say(conv, answer));
      expect(reply).toContain('ORD-10421');
      expect(reply).toMatch(/Shipped/);
      expect(reply).not.toMatch(NOT_FOUND_KB);
    },
  );

  it('"123" after the list of tickets (no number given) is ticket TKT-000123', async () => {
    const conv = personalConversation();
    // No number: the bot shows the asker's tickets instead of asking "Which ticket?".
    expect(shown(await say(conv, 'what is the status of my ticket?'))).toMatch(/Your tickets|Ticket TKT-/);
    const reply = shown(await say(conv, '123'));
    expect(reply).toContain('TKT-000123');
    expect(reply).not.toMatch(NOT_FOUND_KB);
  });

  it('a bare number with no question pending is not an order', async () => {
    const reply = shown(await say(personalConversation(), '10421'));
    expect(reply).not.toContain('ORD-10421');
    expect(reply).not.toMatch(/Shipped/);
  });
});

describe('thanks and small talk', () => {
  it.each(['thanks!', 'thank you so much', 'cheers', 'great, thanks'])(
    '"%s" gets a short friendly reply, not a knowledge-base refusal',
    async (thanks) => {
      const calls = await say(personalConversation(), thanks);
      const reply = shown(calls);
      expect(reply).toMatch(/^You're welcome!/);
      expect(reply).not.toMatch(/knowledge base/i);
      expect(calls.some((c) => cardsOf(c).length > 0)).toBe(false);
    },
  );

  it('"cheers" while a question is pending keeps it pending and asks it again', async () => {
    const conv = personalConversation();
    await askForOrder(conv);
    const reply = textOf(await say(conv, 'cheers'));
    expect(reply).toMatch(/You're welcome!/);
    expect(reply).toMatch(/Now, which order number\?/);
    expect(reply).not.toMatch(/stopped that/);
    // Still waiting: a bare number answers the question.
    const status = shown(await say(conv, '10421'));
    expect(status).toContain('ORD-10421');
    expect(status).toMatch(/Shipped/);
  });
});

describe('"ok, carry on" after a digression', () => {
  it('asks the waiting question again instead of stopping the flow', async () => {
    const conv = personalConversation();
    await askForOrder(conv);
    await say(conv, 'hang on, how long do refunds take?');
    const reply = textOf(await say(conv, 'ok lets continue'));
    expect(reply).not.toMatch(/stopped that/);
    expect(reply).toMatch(/which order number\?/i);
    expect(shown(await say(conv, '10421'))).toContain('ORD-10421');
  });
});

describe('saying goodbye', () => {
  it.each(['thx, bye', 'ok that is all, thanks!', 'see ya'])(
    '"%s" gets a goodbye, not a knowledge-base refusal',
    async (bye) => {
      const reply = shown(await say(personalConversation(), bye));
      expect(reply).toMatch(/^Goodbye!/);
      expect(reply).not.toMatch(/knowledge base/i);
    },
  );

  it('a goodbye while a question waits does not ask it again', async () => {
    const conv = personalConversation();
    await askForOrder(conv);
    const reply = textOf(await say(conv, 'never mind, bye'));
    expect(reply).not.toMatch(/which order number/i);
    expect(reply).toMatch(/Goodbye!|stopped/);
  });
});

describe('a digression inside a flow is answered and the flow resumes', () => {
  it('check an order → "actually first, how do I return an item?" → answer + "Now, which order number?" → ORD-10421', async () => {
    const conv = personalConversation();
    await askForOrder(conv);
    const calls = await say(conv, 'actually first, how do I return an item?');
    const reply = textOf(calls);
    expect(reply).toMatch(/return/i);
    expect(reply).toMatch(/\[1\]/);
    expect(reply).not.toMatch(NOT_FOUND_KB);
    expect(reply).toMatch(/Now, which order number\?/);
    expect(hasCardAction(calls, 'order.returnConfirm')).toBe(false);
    const status = shown(await say(conv, 'ORD-10421'));
    expect(status).toContain('ORD-10421');
    expect(status).toMatch(/Shipped/);
  });

  it('a policy question while the bot waits for a ticket description is not the description', async () => {
    const conv = personalConversation();
    expect(textOf(await say(conv, 'open a ticket'))).toMatch(/What's the problem\?/);
    const calls = await say(conv, 'what are your phone hours?');
    expect(calls.some((c) => cardsOf(c).length > 0)).toBe(false);
    expect(textOf(calls)).toMatch(/\[1\]/);
    expect(textOf(calls)).toMatch(/Now, what's the problem\?/);
    // The description is still awaited: the next message becomes the draft.
    const draft = await say(conv, 'my laptop screen keeps flickering');
    expect(shown(draft)).toMatch(/My laptop screen keeps flickering/);
    const { resources } = await t.bot.stores.containers.tickets.items
      .query({
        query: "SELECT * FROM c WHERE c.type = 'ticket' AND CONTAINS(c.description, @v)",
        parameters: [{ name: '@v', value: 'phone hours' }],
      })
      .fetchAll();
    expect(resources).toHaveLength(0);
  });

  it('a question while the bot asks why an order is returned is answered and the reason asked again', async () => {
    const conv = personalConversation();
    expect(textOf(await say(conv, 'I want a refund for ORD-10388'))).toMatch(/Why are you returning/);
    const reply = textOf(await say(conv, 'how long do refunds take to arrive?'));
    expect(reply).toMatch(/\[1\]/);
    expect(reply).toMatch(/Now, why are you returning order ORD-10388/i);
    const card = await say(conv, 'it stopped working');
    expect(hasCardAction(card, 'order.returnConfirm')).toBe(true);
  });
});

describe('corrections right after an order lookup', () => {
  it('"sorry, I meant ORD-10421" / "oops, I meant ORD-10388" look up the corrected order', async () => {
    const conv = personalConversation();
    expect(shown(await say(conv, 'status of ORD-10422'))).toMatch(/Processing/);
    const first = await say(conv, 'sorry, I meant ORD-10421');
    expect(shown(first)).toContain('ORD-10421');
    expect(shown(first)).toMatch(/Shipped/);
    const second = await say(conv, 'oops, I meant ORD-10388');
    expect(shown(second)).toContain('ORD-10388');
    expect(shown(second)).toMatch(/Delivered/);
    for (const calls of [first, second]) {
      expect(hasCardAction(calls, 'order.returnConfirm')).toBe(false);
      expect(hasCardAction(calls, 'order.cancelConfirm')).toBe(false);
      expect(shown(calls)).not.toMatch(/Why are you returning|stopped that/);
    }
  });

  it('a correction re-runs the last action: a return request for the corrected order', async () => {
    const conv = personalConversation();
    // ORD-10422 has not been delivered, so there is nothing to return yet.
    expect(textOf(await say(conv, 'I want to return ORD-10422 because it is broken'))).toMatch(
      /hasn't (?:been delivered|shipped)/,
    );
    const corrected = await say(conv, 'sorry, I meant ORD-10388');
    expect(hasCardAction(corrected, 'order.returnConfirm')).toBe(true);
  });
});

describe('an order named by what is in it, in the first message', () => {
  it('"where\'s my stuff, I ordered a keyboard" shows the order with the keyboard', async () => {
    const calls = await say(personalConversation(), 'wheres my stuff? i ordered a keyboard last month');
    expect(JSON.stringify(calls.flatMap(cardsOf))).toContain('ORD-10421');
    expect(shown(calls)).not.toMatch(/Which order number/);
  });

  it('"I want to cancel the monitor" drafts the cancellation of that order, not "nothing to cancel"', async () => {
    const calls = await say(personalConversation(), 'please cancel the monitor');
    expect(shown(calls)).not.toMatch(/nothing to cancel/i);
    expect(hasCardAction(calls, 'order.cancelConfirm')).toBe(true);
    expect(JSON.stringify(calls.flatMap(cardsOf))).toContain('ORD-10422');
  });

  it('"cancel the headset I bought" on a delivered order says why it cannot be cancelled', async () => {
    const reply = shown(await say(personalConversation(), 'cancel the headset i bought'));
    expect(reply).toContain('ORD-10388');
    expect(reply).toMatch(/delivered/);
  });
});

describe('a broken product with "what are my options?"', () => {
  it('is answered from the documents, not with the help menu', async () => {
    const reply = shown(
      await say(personalConversation(), 'my mouse quit working after a week, what are my options?'),
    );
    expect(reply).not.toMatch(/\*\*Orders\*\*/);
    expect(reply).toMatch(/warranty|return|ticket/i);
  });
});

describe('a return reason while the bot asks which order', () => {
  it('"they don\'t fit" keeps the flow, and the order named next gets the return card without asking why', async () => {
    const conv = personalConversation();
    expect(textOf(await say(conv, 'I would like to return an item'))).toMatch(
      /Which order do you want to return\?/,
    );
    const reply = textOf(await say(conv, "they're too small"));
    expect(reply).not.toMatch(/stopped that/);
    expect(reply).toMatch(/Which order do you want to return\?/);
    const calls = await say(conv, 'the headphones');
    expect(hasCardAction(calls, 'order.returnConfirm')).toBe(true);
    expect(shown(calls)).not.toMatch(/Why are you returning/);
  });

  it('"the headphones" means the order with headphones, not also the one with a headset', async () => {
    const calls = await say(personalConversation(), 'can I send the headphones back? wrong colour');
    expect(shown(calls)).not.toMatch(/Which order do you mean/);
    expect(JSON.stringify(calls.flatMap(cardsOf))).toContain('ORD-10395');
  });
});

describe('a second request starting with "can I"', () => {
  it('is answered after the first', async () => {
    const calls = await say(
      personalConversation(),
      'when is my monitor order arriving and can I still change the delivery address?',
    );
    expect(JSON.stringify(calls.flatMap(cardsOf))).toContain('ORD-10422');
    expect(shown(calls)).toMatch(/address/i);
  });
});
