import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users, type TestUser } from '../helpers/activities';
import { shownText } from '../helpers/cards';

/**
 * Messages a customer types as they talk, through the real server in embedded mode: policy questions
 * worded like order actions, a question for a contact detail, a follow-up that leans on the question
 * before it, and small talk the documents do not cover.
 */
let t: BotUnderTest;

beforeAll(async () => {
  t = await startBotUnderTest(freshKnowledgeIndex('understanding-'));
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

/** The bot's reply text and the titles of the documents it cites. */
async function ask(text: string, conv = personalConversation(users.alex), user: TestUser = users.alex) {
  const calls = await t.say(conv, text, user);
  const entity = calls
    .flatMap((c) => c.activity.entities ?? [])
    .find((e: any) => e.type === 'https://schema.org/Message');
  const cited = ((entity?.citation ?? []) as any[]).map((c) => String(c.appearance?.name ?? ''));
  return { text: shownText(calls), cited };
}

describe('policy questions worded like order actions are answered from the documents', () => {
  it('answers a bare "refunds" with the refund policy instead of asking for an order', async () => {
    const { text, cited } = await ask('refunds');
    expect(text).not.toMatch(/which order/i);
    expect(text).toMatch(/refund/i);
    expect(cited.join(' ')).toMatch(/Returns and refunds/);
  });

  it('answers a free-delivery threshold question with the shipping table', async () => {
    const { text, cited } = await ask('Over what order total is delivery free?');
    expect(text).not.toMatch(/which order/i);
    expect(text).toContain('75 USD');
    expect(cited.join(' ')).toMatch(/Shipping and delivery/);
  });

  it('still starts the return flow for a request to return something', async () => {
    const { text } = await ask('I want to return the boots I bought');
    expect(text).toMatch(/which order/i);
  });
});

describe('contact details', () => {
  it('gives the phone number, not the sentence about registering one', async () => {
    const { text, cited } = await ask("What's your telephone number?");
    expect(text).toContain('1-800-555-0142');
    expect(text).not.toMatch(/password/i);
    expect(cited.join(' ')).toMatch(/Contacting customer service/);
  });
});

describe('follow-up questions', () => {
  it('reads "and on sundays?" after a question about store hours as being about the stores', async () => {
    const conv = personalConversation(users.dana);
    await ask('what are the store opening hours?', conv, users.dana);
    const { text } = await ask('and on sundays?', conv, users.dana);
    expect(text).toContain('Sunday from 11 am to 6 pm');
    expect(text).not.toMatch(/Phone support is closed/);
  });

  it('answers the same words without a question before them from the documents alone', async () => {
    const conv = personalConversation(users.carl);
    const { text } = await ask('and on sundays?', conv, users.carl);
    expect(text).toMatch(/Phone support is closed on Sundays/);
  });
});

describe('small talk the documents do not cover', () => {
  it('refuses weather and jokes without citing a document', async () => {
    for (const q of ["what's the weather like tomorrow?", 'tell me a funny joke']) {
      const { text, cited } = await ask(q);
      expect(text, q).toMatch(/couldn.t find/i);
      expect(cited, q).toEqual([]);
    }
  });
});
