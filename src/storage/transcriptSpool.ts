import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { logger } from '../observability/logger';
import { InvalidStorageInputError } from './errors';
import {
  transcriptTurnId,
  type TranscriptEntry,
  type TranscriptListOptions,
  type TranscriptStore,
} from './transcriptStore';

/** One spooled write: a whole turn (appendTurn) or one late entry (append). */
type SpoolRecord = { kind: 'turn'; entries: TranscriptEntry[] } | { kind: 'entry'; entry: TranscriptEntry };

export interface TranscriptSpoolOptions {
  /** Directory of the spool (TRANSCRIPT_SPOOL_DIR); created when missing. */
  dir: string;
  /** How often undelivered entries are retried. Default 5000 ms. */
  drainIntervalMs?: number;
}

/** A file older than this that is still `.tmp` was cut off mid-write by a crash. */
const ABANDONED_TMP_MS = 60_000;

/**
 * The audit transcript through a durable local queue, so no answered turn is missing from it after
 * a Cosmos outage. Every write is first a file in the spool directory (written, fdatasync'd,
 * renamed into place, directory fsync'd), then sent to the store behind it and deleted once the
 * store has it. When the store fails (Cosmos down, its circuit open) the file stays, and a timer
 * retries the spool in order until the store takes it — also after a restart, from the files
 * left behind. Store writes are creates with ids derived from the turn (409 = already there), so a
 * retry, a write racing the drain, or two instances draining one shared directory never duplicate.
 */
export class SpooledTranscriptStore implements TranscriptStore {
  private readonly dir: string;
  private readonly drainIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | undefined;
  /** A write failed since the last drain: worth draining after the next success. */
  private backlog = true;

  constructor(
    private readonly inner: TranscriptStore,
    options: TranscriptSpoolOptions,
  ) {
    this.dir = resolve(options.dir);
    this.drainIntervalMs = options.drainIntervalMs ?? 5000;
  }

  /** Creates the directory and starts draining what an earlier process left behind. */
  async start(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (err) {
      // Not fatal: every write then goes to the store directly (see write), as without a spool.
      logger.error({ err: (err as Error).message, dir: this.dir }, 'transcript spool directory unusable');
      return;
    }
    this.timer = setInterval(() => void this.drain(), this.drainIntervalMs);
    this.timer.unref();
    void this.drain();
  }

  async appendTurn(entries: readonly TranscriptEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.write({ kind: 'turn', entries: [...entries] }, transcriptTurnId(entries[0]!));
  }

  async append(entry: TranscriptEntry): Promise<void> {
    await this.write(
      { kind: 'entry', entry },
      `${transcriptTurnId(entry)}-${entry.kind}-${entry.sequence ?? 0}`,
    );
  }

  /** Entries the store holds (those still in the spool appear once it is drained). */
  list(conversationId: string, options?: TranscriptListOptions): Promise<TranscriptEntry[]> {
    return this.inner.list(conversationId, options);
  }

  /** Files not yet in the store. */
  async pending(): Promise<number> {
    return (await this.spooledFiles()).length;
  }

  /** Sends spooled files to the store, oldest first, until one fails. Resolves with how many went. */
  drain(): Promise<number> {
    this.draining ??= this.drainOnce().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Stops the timer and tries once more to empty the spool (what is left is sent after restart). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.drain().catch(() => 0);
  }

  /**
   * Writes a turn into the spool only (page cache: safe from a crash of this process) and returns
   * the step that fsyncs it and sends it to the store, so a caller holding a lock (the conversation
   * lease) keeps only the quick local write inside it (measured: fsyncs inside the lease made 50
   * concurrent turns of one conversation time out on the lease).
   */
  async spoolTurn(entries: readonly TranscriptEntry[]): Promise<() => Promise<void>> {
    if (!entries.length) return async () => undefined;
    return this.prepare({ kind: 'turn', entries: [...entries] }, transcriptTurnId(entries[0]!));
  }

  private async write(record: SpoolRecord, id: string): Promise<void> {
    await (
      await this.prepare(record, id)
    )();
  }

  private async prepare(record: SpoolRecord, id: string): Promise<() => Promise<void>> {
    let file: string;
    try {
      file = await this.spool(record, id);
    } catch (err) {
      // Disk full or not writable: the store directly is all that is left.
      logger.error(
        { err: (err as Error).message },
        'transcript spool write failed; writing to the store directly',
      );
      return () => this.send(record);
    }
    return async () => {
      await this.sync(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err; // ENOENT: the drain already sent and removed it
      });
      try {
        await this.send(record);
      } catch (err) {
        if (err instanceof InvalidStorageInputError) {
          await this.quarantine(file);
          throw err;
        }
        this.backlog = true;
        logger.warn(
          { err: (err as Error).message },
          'transcript kept in the local spool; the store is unavailable',
        );
        return;
      }
      await removeQuietly(file);
      if (this.backlog) void this.drain();
    };
  }

  /**
   * Writes the record into the spool (complete, under its final name, in the page cache: it
   * survives a crash of this process); returns its path. Names sort by time, so the drain keeps
   * order. `sync` then makes it survive a power cut too.
   */
  private async spool(record: SpoolRecord, id: string): Promise<string> {
    const name = `${Date.now().toString().padStart(15, '0')}-${id}-${randomUUID().slice(0, 8)}`;
    const tmp = join(this.dir, `${name}.tmp`);
    const final = join(this.dir, `${name}.json`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(JSON.stringify(record), 'utf8');
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    return final;
  }

  /** fdatasync of the file, then fsync of the directory (so the rename is on disk as well). */
  private async sync(file: string): Promise<void> {
    const fh = await open(file, 'r+');
    try {
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await syncDirectory(this.dir);
  }

  private async send(record: SpoolRecord): Promise<void> {
    if (record.kind === 'turn') await this.inner.appendTurn(record.entries);
    else await this.inner.append(record.entry);
  }

  private async drainOnce(): Promise<number> {
    let files: string[];
    try {
      await this.recoverAbandoned();
      files = await this.spooledFiles();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'transcript spool unreadable');
      return 0;
    }
    this.backlog = false;
    let sent = 0;
    for (const file of files) {
      let record: SpoolRecord;
      try {
        record = JSON.parse(await readFile(file, 'utf8')) as SpoolRecord;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // sent by its own turn meanwhile
        await this.quarantine(file);
        continue;
      }
      try {
        await this.send(record);
      } catch (err) {
        if (err instanceof InvalidStorageInputError) {
          await this.quarantine(file);
          continue;
        }
        this.backlog = true;
        break; // the store is still down: try again on the next tick
      }
      await removeQuietly(file);
      sent++;
    }
    if (sent) logger.info({ sent, left: this.backlog ? 'some' : 0 }, 'transcript spool drained to the store');
    return sent;
  }

  private async spooledFiles(): Promise<string[]> {
    return (await readdir(this.dir))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(this.dir, f));
  }

  /** A `.tmp` left by a crash: complete JSON is delivered like any other, a torn one set aside. */
  private async recoverAbandoned(): Promise<void> {
    for (const f of (await readdir(this.dir)).filter((n) => n.endsWith('.tmp'))) {
      const path = join(this.dir, f);
      const info = await stat(path).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < ABANDONED_TMP_MS) continue;
      try {
        JSON.parse(await readFile(path, 'utf8'));
        await rename(path, path.replace(/\.tmp$/, '.json'));
      } catch {
        await this.quarantine(path);
      }
    }
  }

  private async quarantine(file: string): Promise<void> {
    logger.error({ file }, 'transcript spool file unusable; set aside as .bad');
    await rename(file, file.replace(/\.(json|tmp)$/, '.bad')).catch(() => undefined);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable on Linux; some platforms cannot open a directory (nothing to do there).
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EISDIR / EPERM on platforms without directory fsync
  } finally {
    await handle.close();
  }
}

async function removeQuietly(file: string): Promise<void> {
  await unlink(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') logger.warn({ err: err.message }, 'transcript spool file not removed');
  });
}
