import type { AppConfig } from '../config';
import { CachingEncoder, EmbeddedSentenceEncoder, type Encoder } from '../encoder';

/**
 * The one embedded sentence encoder of the process (ENCODER=embedded), or none: the English intent
 * model and the embedded knowledge index share it (one worker, one model in memory), behind a small
 * cache keyed by text so that a turn's message is encoded once for both.
 */
export function createSharedEncoder(config: AppConfig): Encoder | undefined {
  return config.encoder === 'embedded' ? new CachingEncoder(new EmbeddedSentenceEncoder()) : undefined;
}
