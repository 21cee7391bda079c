export { type Encoder, EncoderUnavailableError } from './types';
export {
  EmbeddedSentenceEncoder,
  EMBEDDED_ENCODER_NAME,
  EMBEDDED_ENCODER_DIMENSIONS,
  type EmbeddedEncoderOptions,
} from './embeddedEncoder';
export { OpenAICompatibleEncoder, type OpenAICompatibleEncoderOptions } from './openAICompatibleEncoder';
export { AzureOpenAIEmbedder as AzureOpenAIEncoder } from '../knowledge/azureOpenAIEmbedder';
export { CachingEncoder, type CachingEncoderOptions } from './cachingEncoder';
