import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Encoder } from '../src/encoder/types';
import { denseRerank, sentenceScore, type Scored } from '../src/knowledge/denseRerank';
import { unitsOf } from '../src/knowledge/answerUnits';
import type { BeirDoc } from './retrievalLib';

/**
 * Sentence-level vectors of a BEIR corpus for the dense leg of bench/retrieval.ts: each document's
 * title and each of its sentences (the bot's answer units, `unitsOf`) encoded separately.
 * Cached as JSON lines (one document a line: id, encoder, base64 Float32 unit vectors), appended as
 * it goes so a run stopped half way keeps what it encoded.
 */

/** The texts the encoder sees of a document: its title, then its sentences. */
export function docUnits(d: BeirDoc): string[] {
  const units = unitsOf(d.text).map((u) => u.text);
  const title = d.title.trim();
  const out = title ? [title, ...units] : units;
  return out.length ? out : [`${d.title}\n${d.text}`.slice(0, 1000)];
}

import { unitVector } from '../src/encoder/unitVector';

export { unitVector };

/** doc id → its unit vectors (title first when it has one), all unit length. */
export type SentenceVectors = Map<string, Float32Array[]>;

export function loadSentenceVectors(path: string, encoderName: string): SentenceVectors {
  const out: SentenceVectors = new Map();
  if (!existsSync(path)) return out;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let rec: { id: string; encoder: string; vectors: string[] };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      continue; // a line cut short by a stopped run: that document is encoded again
    }
    if (rec.encoder !== encoderName) continue;
    out.set(
      rec.id,
      rec.vectors.map((b64) => {
        const buf = Buffer.from(b64, 'base64');
        return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      }),
    );
  }
  return out;
}

/** Encodes the documents without cached vectors, `docsPerCall` at a time, appending to `path`. */
export async function encodeMissing(
  docs: readonly BeirDoc[],
  cache: SentenceVectors,
  encoder: Encoder,
  path: string,
  docsPerCall = 16,
): Promise<{ docsEncoded: number; unitsEncoded: number; seconds: number }> {
  const missing = docs.filter((d) => !cache.has(d.id));
  mkdirSync(dirname(path), { recursive: true });
  // A run stopped mid-line left a partial record: start on a new line so the next one stays readable.
  const size = existsSync(path) ? statSync(path).size : 0;
  if (size) {
    const last = Buffer.alloc(1);
    const fd = openSync(path, 'r');
    readSync(fd, last, 0, 1, size - 1);
    closeSync(fd);
    if (last[0] !== 0x0a) appendFileSync(path, '\n');
  }
  const t0 = performance.now();
  let units = 0;
  for (let i = 0; i < missing.length; i += docsPerCall) {
    const batch = missing.slice(i, i + docsPerCall);
    const texts = batch.map(docUnits);
    const out = await encoder.encode(texts.flat());
    let k = 0;
    const lines = batch.map((d, j) => {
      const vectors = texts[j]!.map(() => unitVector(out[k++]!));
      cache.set(d.id, vectors);
      return JSON.stringify({
        id: d.id,
        encoder: encoder.name,
        vectors: vectors.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')),
      });
    });
    units += k;
    appendFileSync(path, `${lines.join('\n')}\n`);
    const s = (performance.now() - t0) / 1000;
    process.stderr.write(
      `encoded ${i + batch.length}/${missing.length} docs, ${units} units, ${s.toFixed(0)} s (${(units / s).toFixed(1)} units/s)\n`,
    );
  }
  return { docsEncoded: missing.length, unitsEncoded: units, seconds: (performance.now() - t0) / 1000 };
}

/** One way of using the dense leg: re-rank BM25's top `k` by sentence max-sim. */
export interface RerankConfig {
  /** BM25 candidates re-scored (the rest of BM25's top 100 follows in BM25 order). */
  k: number;
  /** convex: (1 − w)·minmax(bm25) + w·minmax(dense); rrf: 1/(60 + bm25 rank) + w/(60 + dense rank). */
  fusion: 'convex' | 'rrf';
  denseWeight: number;
  meanWeight: number;
}

export interface PreparedQuery {
  id: string;
  /** BM25's top 100, best first. */
  bm25: Scored[];
  vector: Float32Array;
}

export function rerankedIds(
  q: PreparedQuery,
  cfg: RerankConfig,
  sentencesOf: (id: string) => readonly Float32Array[] | undefined,
): string[] {
  const head = q.bm25.slice(0, cfg.k);
  const tail = q.bm25.slice(cfg.k).map((r) => r.id);
  if (cfg.fusion === 'convex')
    return [
      ...denseRerank(head, q.vector, sentencesOf, {
        denseWeight: cfg.denseWeight,
        meanWeight: cfg.meanWeight,
      }).map((r) => r.id),
      ...tail,
    ];
  const dense = head
    .map((r, i) => ({ i, d: sentenceScore(q.vector, sentencesOf(r.id) ?? [], cfg.meanWeight) ?? -Infinity }))
    .sort((a, b) => b.d - a.d);
  const fused = head.map((r, i) => ({ id: r.id, i, s: 1 / (61 + i) }));
  dense.forEach((x, rank) => (fused[x.i]!.s += cfg.denseWeight / (61 + rank)));
  fused.sort((a, b) => b.s - a.s || a.i - b.i);
  return [...fused.map((f) => f.id), ...tail];
}
