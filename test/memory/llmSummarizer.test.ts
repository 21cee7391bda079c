import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendTurn, createLlmSummarizer, emptyMemory } from '../../src/memory';
import { createChatCompletion } from '../../src/planner/chatCompletion';
import { apiError, completion, startFakeOpenAi, type FakeOpenAi } from '../fakes/fakeOpenAi';

let llm: FakeOpenAi;
beforeAll(async () => {
  llm = await startFakeOpenAi({ tls: false });
});
afterAll(async () => {
  await llm.close();
});

describe('LLM memory summary', () => {
  it('summarises the turns that slide out of the window with the chat model', async () => {
    const complete = createChatCompletion(
      {
        mode: 'openai-compatible',
        baseUrl: `${llm.url}/v1`,
        model: 'm',
        apiKey: 'k',
      },
      { timeoutMs: 12_000 },
    );
    const summarizer = createLlmSummarizer(complete);
    let memory = emptyMemory();
    const at = new Date().toISOString();
    llm.script(completion({ content: 'The user asked about ORD-10421; it has shipped.' }));
    for (const text of ['where is ORD-10421?', 'It shipped on 3 March.', 'thanks']) {
      memory = await appendTurn(
        memory,
        { role: text.startsWith('It') ? 'assistant' : 'user', text, at },
        { windowTurns: 2, summarizeEvery: 1 },
        summarizer,
      );
    }
    expect(memory.summary).toBe('The user asked about ORD-10421; it has shipped.');
    expect(memory.turns.map((t) => t.text)).toEqual(['It shipped on 3 March.', 'thanks']);
    const request = llm.requests.at(-1)!.body;
    expect(request.messages[0].role).toBe('system');
    expect(String(request.messages[1].content)).toContain('User: where is ORD-10421?');
  });

  it('falls back to the extractive summary when the model fails', async () => {
    const complete = createChatCompletion(
      {
        mode: 'openai-compatible',
        baseUrl: `${llm.url}/v1`,
        model: 'm',
        apiKey: 'k',
      },
      { timeoutMs: 12_000 },
    );
    llm.script(...Array.from({ length: 5 }, () => apiError(400, 'bad_request', 'nope')));
    let memory = emptyMemory();
    const at = new Date().toISOString();
    for (const text of ['my laptop screen flickers', 'I drafted a ticket for the flickering screen', 'ok']) {
      memory = await appendTurn(
        memory,
        { role: 'user', text, at },
        { windowTurns: 2, summarizeEvery: 1 },
        createLlmSummarizer(complete),
      );
    }
    expect(memory.summary).toContain('laptop screen flickers');
  });
});
