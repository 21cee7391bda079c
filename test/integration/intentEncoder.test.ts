import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshKnowledgeIndex, startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';
import { cardsOf, cardText, shownText } from '../helpers/cards';
import type { ConnectorCall } from '../helpers/connector';

/**
 * The English intent model with the embedded sentence encoder (ENCODER=embedded), through the real
 * server: /readyz says which model serves, and once the sentence-vector model is ready, paraphrases
 * written for this test (none of them in data/nlu) run the right action.
 */
let t: BotUnderTest;

interface IntentsStatus {
  ok: boolean;
  mode: string;
  detail?: string;
}

async function intentsStatus(): Promise<IntentsStatus> {
  const res = await fetch(`${t.bot.url}/readyz`);
  const body = (await res.json()) as { dependencies: Record<string, IntentsStatus> };
  return body.dependencies.intents!;
}

/** Waits (polling /readyz) until the sentence-vector model serves; fails at once if it failed. */
async function sentenceModelReady(timeoutMs: number): Promise<IntentsStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await intentsStatus();
    if (!/training/.test(status.detail ?? '')) return status;
    if (Date.now() > deadline) throw new Error(`still training after ${timeoutMs} ms: ${status.detail}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await startBotUnderTest({ ENCODER: 'embedded', ...freshKnowledgeIndex('intent-encoder-') });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const allText = (calls: ConnectorCall[]) =>
  calls.map((c) => `${String(c.activity.text ?? '')} ${cardsOf(c).map(cardText).join(' ')}`).join('\n');

describe('intent model with sentence vectors', () => {
  it('reports in /readyz that the n-gram model serves until the sentence-vector model is ready', async () => {
    const first = await intentsStatus();
    expect(first.mode).toBe('n-gram+sentence-vectors');
    expect(first.ok).toBe(true);
    expect(first.detail).toMatch(/sentence-vector model (training|\(use-lite)/);
    const ready = await sentenceModelReady(90_000);
    expect(ready).toMatchObject({ ok: true, mode: 'n-gram+sentence-vectors' });
    expect(ready.detail).toMatch(/n-gram \+ sentence-vector model \(use-lite-en/);
  }, 100_000);

  it('lists the asker\'s orders for "show me everything I\'ve bought from you"', async () => {
    await sentenceModelReady(90_000);
    const shown = shownText(
      await t.say(personalConversation(users.alex), "show me everything I've bought from you"),
    );
    expect(shown).toContain('Your orders');
    expect(shown).toContain('ORD-10421');
  }, 100_000);

  it('starts the missing-delivery flow for a courier who "claims it was dropped off"', async () => {
    await sentenceModelReady(90_000);
    const sent = await t.say(
      personalConversation(users.alex),
      "the courier claims it was dropped off but it's not here",
    );
    expect(allText(sent)).toMatch(/Is it this order/);
  }, 100_000);

  it('still answers a knowledge question from the documents', async () => {
    await sentenceModelReady(90_000);
    const shown = shownText(await t.say(personalConversation(users.alex), 'how do I return an item?'));
    expect(shown).toMatch(/return/i);
    expect(shown).not.toMatch(/which order/i);
  }, 100_000);
});
