import { AppError } from '../errors';

/**
 * Encoder seam: turns texts into dense vectors. The embedded Universal Sentence Encoder (on a worker
 * thread), an Azure OpenAI embedding deployment and an OpenAI-compatible embeddings endpoint all
 * implement it, so retrieval code does not know which one runs.
 */
export interface Encoder {
  /** Identifies model + version; stored with cached vectors so a change of encoder recomputes them. */
  readonly name: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  encode(texts: string[]): Promise<number[][]>;
  /** Releases the worker / connections (idempotent). */
  close?(): Promise<void>;
}

/** Thrown when an encoder cannot produce vectors (worker crashed, endpoint unreachable). */
export class EncoderUnavailableError extends AppError {
  constructor(encoder: string, message: string, options?: { cause?: unknown }) {
    super('ENCODER_UNAVAILABLE', `Encoder ${encoder} is unavailable: ${message}`, options);
  }
}
