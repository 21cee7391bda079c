import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENTS, loadNluDataset, splitDataset } from '../../src/nlu';

describe('project NLU dataset', () => {
  const dataset = loadNluDataset();

  it('is versioned and covers every intent with at least 30 utterances', () => {
    expect(dataset.version).toMatch(/^\d+\.\d+\.\d+$/);
    for (const intent of INTENTS) {
      expect(dataset.examples.filter((e) => e.intent === intent).length, intent).toBeGreaterThanOrEqual(30);
    }
  });

  it('has no duplicate utterances', () => {
    const texts = dataset.examples.map((e) => e.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('splits every 5th utterance of each intent into test, deterministically', () => {
    const { train, test } = splitDataset(dataset.examples);
    expect(train.length + test.length).toBe(dataset.examples.length);
    const orderStatus = dataset.examples.filter((e) => e.intent === 'order_status');
    expect(test.filter((e) => e.intent === 'order_status')).toEqual(
      orderStatus.filter((_, i) => i % 5 === 4),
    );
    expect(splitDataset(dataset.examples)).toEqual({ train, test });
    for (const intent of INTENTS)
      expect(
        test.some((e) => e.intent === intent),
        intent,
      ).toBe(true);
  });
});

describe('loadNluDataset errors', () => {
  function makeDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'nlu-'));
    mkdirSync(join(dir, 'utterances'));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return dir;
  }

  it('reads comments, blank lines and the version', () => {
    const dir = makeDir({ VERSION: '2.1.0\n', 'utterances/greeting.txt': '# hi\nhello\n\n  hey  \n' });
    expect(loadNluDataset(dir)).toEqual({
      version: '2.1.0',
      examples: [
        { text: 'hello', intent: 'greeting' },
        { text: 'hey', intent: 'greeting' },
      ],
    });
  });

  it('rejects a missing folder, a bad version and unknown intents with clear messages', () => {
    expect(() => loadNluDataset('/nonexistent/nlu')).toThrow(/VERSION is missing/);
    expect(() => loadNluDataset(makeDir({ VERSION: 'latest', 'utterances/help.txt': 'help' }))).toThrow(
      /not x\.y\.z/,
    );
    expect(() => loadNluDataset(makeDir({ VERSION: '1.0.0', 'utterances/weather.txt': 'rain?' }))).toThrow(
      /weather\.txt does not name a known intent/,
    );
  });
});
