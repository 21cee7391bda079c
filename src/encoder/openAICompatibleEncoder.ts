import OpenAI from 'openai';
import { EncoderUnavailableError, type Encoder } from './types';

export interface OpenAICompatibleEncoderOptions {
  /** e.g. http://127.0.0.1:8080/v1 (a text-embeddings-inference server) or https://api.openai.com/v1 */
  baseUrl: string;
  model: string;
  dimensions: number;
  apiKey?: string;
  /** Inputs per request (default 32). */
  batchSize?: number;
  maxRetries?: number;
  timeoutMs?: number;
}

/** Any server speaking the OpenAI `POST /embeddings` API, through the openai SDK. */
export class OpenAICompatibleEncoder implements Encoder {
  readonly name: string;
  readonly dimensions: number;
  private readonly client: OpenAI;

  constructor(private readonly opts: OpenAICompatibleEncoderOptions) {
    if (!opts.baseUrl || !opts.model) throw new Error('embeddings baseUrl and model are required');
    if (!Number.isInteger(opts.dimensions) || opts.dimensions < 1)
      throw new Error('embedding dimensions must be a positive integer');
    this.dimensions = opts.dimensions;
    this.name = `openai-compatible:${opts.model}:${opts.dimensions}`;
    this.client = new OpenAI({
      baseURL: opts.baseUrl,
      apiKey: opts.apiKey ?? 'none',
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 30_000,
    });
  }

  async encode(texts: string[]): Promise<number[][]> {
    const size = this.opts.batchSize ?? 32;
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += size) {
      const batch = texts.slice(i, i + size);
      let res;
      try {
        res = await this.client.embeddings.create({ model: this.opts.model, input: batch });
      } catch (err) {
        throw new EncoderUnavailableError(this.name, (err as Error).message, { cause: err });
      }
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== batch.length)
        throw new EncoderUnavailableError(
          this.name,
          `expected ${batch.length} embeddings, got ${sorted.length}`,
        );
      out.push(...sorted.map((d) => d.embedding));
    }
    return out;
  }
}
