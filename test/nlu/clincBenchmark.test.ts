import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CLINC_DEFAULTS, carveDevSplit, macroF1, runIntentBenchmark } from '../../bench/lib/intentBenchmark';
import { percentile } from '../../bench/lib/stats';
import { parseClincPairs } from '../../src/nlu';

const fixture = join(__dirname, 'fixtures', 'clinc-tiny');
const files = {
  train: join(fixture, 'train.json'),
  test: join(fixture, 'test.json'),
  oosTrain: join(fixture, 'oos_train.json'),
  oosTest: join(fixture, 'oos_test.json'),
};

describe('CLINC benchmark code path on a tiny fixture', () => {
  it('trains, evaluates and reports the metrics', () => {
    const messages: string[] = [];
    const result = runIntentBenchmark(files, { model: 'softmax', training: { epochs: 40 } }, (m) =>
      messages.push(m),
    );
    expect(result.sizes).toEqual({ train: 60, test: 15, oosTrain: 12, oosTest: 8 });
    expect(result.labels).toBe(6); // five intents plus "oos"
    expect(result.inScopeAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(result.oosRecall).toBeGreaterThanOrEqual(0.5);
    expect(result.classifyP95Ms).toBeGreaterThanOrEqual(result.classifyP50Ms);
    expect(result.trainSeconds).toBeGreaterThan(0);
    expect(result.threshold.points).toBeGreaterThan(0);
    expect(messages.some((m) => m.startsWith('threshold'))).toBe(true);
    expect(result.settings.calibration).toMatchObject(CLINC_DEFAULTS.calibration);
    expect(result.engine).toMatch(/softmax/);
  });

  it('carves the dev split from the training files: every 5th utterance per intent, every 2nd OOS', () => {
    const train = ['a', 'b'].flatMap((intent) =>
      Array.from({ length: 10 }, (_, i) => ({ text: `${intent}${i + 1}`, intent })),
    );
    const oos = Array.from({ length: 4 }, (_, i) => ({ text: `o${i + 1}`, intent: 'oos' }));
    const split = carveDevSplit(train, oos);
    expect(split.inScope.test.map((e) => e.text)).toEqual(['a5', 'a10', 'b5', 'b10']);
    expect(split.inScope.train).toHaveLength(16);
    expect(split.oos.test.map((e) => e.text)).toEqual(['o2', 'o4']);
    expect(split.oos.train.map((e) => e.text)).toEqual(['o1', 'o3']);

    const result = runIntentBenchmark(
      { ...files, test: 'unused', oosTest: 'unused' },
      { model: 'mlp', mlp: { members: 2, epochs: 20 }, calibration: { oosRecallTarget: 0.5 } },
      () => undefined,
      true,
    );
    expect(result.devSplit).toBe(true);
    expect(result.sizes).toEqual({ train: 50, test: 10, oosTrain: 6, oosTest: 6 });
    expect(result.engine).toMatch(/MLP/);
    expect(result.inScopeAccuracy).toBeGreaterThan(0.5);
  });

  it('rejects malformed CLINC files with the file name in the message', () => {
    expect(() => parseClincPairs('{"a":1}', 'x.json')).toThrow(/x\.json: expected a JSON array/);
    expect(() => parseClincPairs('[["only text"]]', 'y.json')).toThrow(
      /y\.json: item 0 is not a \[text, intent\] pair/,
    );
    expect(() => parseClincPairs('[oops', 'z.json')).toThrow(/z\.json: not valid JSON/);
    expect(() => runIntentBenchmark({ ...files, train: join(fixture, 'missing.json') })).toThrow(
      /cannot read/,
    );
  });

  it('runs as the npm script CLI and writes the JSON result', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bench-intent-')), 'nested', 'result.json');
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const args = [
      'bench/intent.ts',
      '--train',
      files.train,
      '--test',
      files.test,
      '--oos-train',
      files.oosTrain,
    ];
    await promisify(execFile)(tsx, [...args, '--oos-test', files.oosTest, '--out', out, '--epochs', '40'], {
      cwd: join(__dirname, '..', '..'),
    });
    const result = JSON.parse(readFileSync(out, 'utf8'));
    for (const key of ['inScopeAccuracy', 'oosRecall', 'trainSeconds', 'classifyP50Ms', 'classifyP95Ms']) {
      expect(typeof result[key], key).toBe('number');
    }
    const badArgs = ['bench/intent.ts', '--train', files.train, '--oos-train', files.oosTrain, '--out', out];
    const bad = promisify(execFile)(tsx, badArgs, { cwd: join(__dirname, '..', '..') });
    await expect(bad).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('missing --test') });
  });

  it('adds the static USE-lite vectors with --encoder use-lite-static (token table built on first use)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-intent-static-'));
    const out = join(dir, 'result.json');
    const tsx = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const args = [
      'bench/intent.ts',
      '--train',
      files.train,
      '--test',
      files.test,
      '--oos-train',
      files.oosTrain,
    ];
    const cwd = join(__dirname, '..', '..');
    await promisify(execFile)(
      tsx,
      [
        ...args,
        '--oos-test',
        files.oosTest,
        '--out',
        out,
        '--epochs',
        '40',
        '--encoder',
        'use-lite-static',
        '--token-table',
        join(dir, 'tokens.f32'),
      ],
      { cwd },
    );
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.encoder.name).toBe('static-use-lite-en@energetic-ai-0.2.0/sif-0.003');
    expect(result.engine).toMatch(/sentence vectors/);
    expect(result.classifyWithEncoderP95Ms).toBeGreaterThanOrEqual(result.classifyP95Ms);
    expect(readFileSync(join(dir, 'tokens.f32')).byteLength).toBe(8000 * 512 * 4);
    const bad = promisify(execFile)(
      tsx,
      [
        ...args,
        '--oos-test',
        files.oosTest,
        '--out',
        out,
        '--encoder',
        'use-lite-static',
        '--static-weighting',
        'zipf',
      ],
      { cwd },
    );
    await expect(bad).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--static-weighting'),
    });
  }, 120_000); // builds the 8,000-token table with the real model (≈ 6 s idle)
});

describe('bench helpers', () => {
  it('percentile uses nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(values, 101)).toThrow(/0\.\.100/);
  });

  it('macroF1 averages per-label F1', () => {
    // a: tp1 fp0 fn1 → 2/3; b: tp1 fp1 fn0 → 2/3
    expect(macroF1(['a', 'a', 'b'], ['a', 'b', 'b'], ['a', 'b'])).toBeCloseTo(2 / 3);
  });
});

// Keep the fixture honest: utterances must not leak between its train and test files.
describe('fixture', () => {
  it('has disjoint train and test utterances', () => {
    const read = (p: string) => parseClincPairs(readFileSync(p, 'utf8')).map((e) => e.text);
    const train = new Set([...read(files.train), ...read(files.oosTrain)]);
    expect([...read(files.test), ...read(files.oosTest)].filter((t) => train.has(t))).toEqual([]);
  });
});
