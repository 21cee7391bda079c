import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  InvalidStorageInputError,
  SpooledTranscriptStore,
  StorageUnavailableError,
  type TranscriptEntry,
  type TranscriptStore,
} from '../../src/storage';
import { tempDataDir } from '../helpers/botProcess';

/** A store that fails while `down`, and keeps entries by turn like Cosmos (a repeated create is a no-op). */
class FlakyStore implements TranscriptStore {
  down = false;
  calls = 0;
  readonly turns = new Map<string, TranscriptEntry[]>();
  async append(entry: TranscriptEntry): Promise<void> {
    await this.appendTurn([entry]);
  }
  async appendTurn(entries: readonly TranscriptEntry[]): Promise<void> {
    this.calls++;
    if (this.down) throw new StorageUnavailableError('down', 'append');
    if (entries.some((e) => e.text === 'invalid')) throw new InvalidStorageInputError('bad entry');
    const key = `${entries[0]!.activityId}/${entries[0]!.kind}`;
    if (!this.turns.has(key)) this.turns.set(key, [...entries]);
  }
  async list(): Promise<TranscriptEntry[]> {
    return [...this.turns.values()].flat();
  }
}

const entry = (activityId: string, text = 'hi'): TranscriptEntry => ({
  conversationId: 'conv-1',
  activityId,
  kind: 'user_message',
  timestamp: new Date().toISOString(),
  text,
});

const dirs: Array<{ remove(): void }> = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

function setup() {
  const data = tempDataDir('spool-unit-');
  dirs.push(data);
  const inner = new FlakyStore();
  // A long interval: these tests drain by hand.
  const spool = new SpooledTranscriptStore(inner, { dir: data.dir, drainIntervalMs: 600_000 });
  const files = (ext = '.json') => readdirSync(data.dir).filter((f) => f.endsWith(ext));
  return { dir: data.dir, inner, spool, files };
}

describe('SpooledTranscriptStore', () => {
  it('writes through and leaves no file when the store works', async () => {
    const { inner, spool, files } = setup();
    await spool.start();
    await spool.appendTurn([entry('a1')]);
    expect(inner.turns.size).toBe(1);
    expect(files()).toEqual([]);
    await spool.close();
  });

  it('keeps entries while the store is down (no error for the turn) and delivers each once when it is back', async () => {
    const { inner, spool, files } = setup();
    await spool.start();
    inner.down = true;
    await spool.appendTurn([entry('a1')]);
    await spool.append(entry('a2'));
    expect(files()).toHaveLength(2);
    expect(await spool.drain()).toBe(0);
    inner.down = false;
    expect(await spool.drain()).toBe(2);
    expect(await spool.drain()).toBe(0);
    expect([...inner.turns.keys()].sort()).toEqual(['a1/user_message', 'a2/user_message']);
    expect(files()).toEqual([]);
    await spool.close();
  });

  it('a new instance on the same directory delivers what the previous one left', async () => {
    const { dir, inner, spool } = setup();
    await spool.start();
    inner.down = true;
    await spool.appendTurn([entry('a1')]);
    await spool.close();
    inner.down = false;
    const next = new SpooledTranscriptStore(inner, { dir, drainIntervalMs: 600_000 });
    await next.start();
    await next.drain();
    expect(inner.turns.has('a1/user_message')).toBe(true);
    expect(await next.pending()).toBe(0);
    await next.close();
  });

  it('sets aside a torn file left by a crash and an entry the store refuses, and goes on', async () => {
    const { dir, inner, spool, files } = setup();
    await spool.start();
    const torn = join(dir, '000000000000001-torn.tmp');
    writeFileSync(torn, '{"kind":"turn","entr');
    const old = new Date(Date.now() - 120_000);
    utimesSync(torn, old, old);
    inner.down = true;
    await spool.appendTurn([entry('bad', 'invalid')]);
    await spool.appendTurn([entry('good')]);
    inner.down = false;
    await spool.drain();
    expect(inner.turns.has('good/user_message')).toBe(true);
    expect(files()).toEqual([]);
    expect(files('.bad')).toHaveLength(2);
    await spool.close();
  });
});
