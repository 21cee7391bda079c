import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';

/**
 * The knowledge answer with the embedded sentence encoder on (KNOWLEDGE_ENCODER=embedded), through
 * the real server: the sentences are encoded in the background on the encoder's worker while turns
 * are answered (lexically until their vectors are ready), a question about something the knowledge
 * base does not have is refused with the usual wording, and an ordinary question is still answered.
 */
let t: BotUnderTest;

beforeAll(async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-rerank-'));
  t = await startBotUnderTest({
    KNOWLEDGE_ENCODER: 'embedded',
    KNOWLEDGE_INDEX_PATH: path.join(root, 'index.json'),
  });
}, 120_000);
afterAll(async () => {
  await t?.stop();
}, 60_000);

async function ask(question: string) {
  const sent = await t.say(personalConversation(users.alex), question, users.alex);
  expect(sent.length).toBeGreaterThan(0);
  const reply = sent.at(-1)!.activity;
  const entity = (reply.entities ?? []).find((e: any) => e.type === 'https://schema.org/Message');
  return { text: String(reply.text ?? ''), citations: (entity?.citation ?? []) as any[] };
}

describe('knowledge answers with the sentence encoder on', () => {
  it('answers an ordinary question with a cited sentence', async () => {
    const { text, citations } = await ask('what time do your shops open on saturdays?');
    expect(text).toMatch(/stores are open Monday to Saturday/);
    expect(citations.length).toBeGreaterThan(0);
  });

  it('refuses "is there a store in Berlin?" (no document names Berlin) instead of citing the returns page', async () => {
    const { text, citations } = await ask('is there a store in Berlin?');
    expect(text).toMatch(/couldn.t find/i);
    expect(text).not.toMatch(/online shop or in our stores/);
    expect(citations).toEqual([]);
  });
});
