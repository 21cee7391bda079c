import { DefaultAzureCredential, getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { AzureOpenAI } from 'openai';
import type { Encoder } from '../encoder/types';
import { KnowledgeInputError, KnowledgeUnavailableError, type Embedder } from './types';

export interface AzureOpenAIEmbedderOptions {
  /** e.g. https://my-openai.openai.azure.com */
  endpoint: string;
  /** Deployment name of the embedding model (AZURE_OPENAI_EMBEDDING_DEPLOYMENT). */
  deployment: string;
  /** Vector size the deployment returns (text-embedding-3-small: 1536). */
  dimensions: number;
  /** API key; when absent, Entra ID via `credential` (default DefaultAzureCredential). */
  apiKey?: string;
  credential?: TokenCredential;
  apiVersion?: string;
  /** Inputs per request (default 16). */
  batchSize?: number;
  /** Retries with backoff on 429/5xx/network errors, done by the openai client (default 3). */
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * Embeddings from an Azure OpenAI deployment, in batches, through the openai SDK's AzureOpenAI client.
 * It is both the Azure AI Search `Embedder` and an `Encoder` (src/encoder) for the embedded index.
 */
export class AzureOpenAIEmbedder implements Embedder, Encoder {
  readonly dimensions: number;
  readonly name: string;
  private readonly client: AzureOpenAI;
  private readonly batchSize: number;

  constructor(private readonly opts: AzureOpenAIEmbedderOptions) {
    if (!opts.endpoint || !opts.deployment)
      throw new KnowledgeInputError('embedding endpoint and deployment are required');
    if (!Number.isInteger(opts.dimensions) || opts.dimensions < 1)
      throw new KnowledgeInputError('embedding dimensions must be a positive integer');
    this.dimensions = opts.dimensions;
    this.name = `azure-openai:${opts.deployment}:${opts.dimensions}`;
    this.batchSize = opts.batchSize ?? 16;
    const auth = opts.apiKey
      ? { apiKey: opts.apiKey }
      : {
          azureADTokenProvider: getBearerTokenProvider(
            opts.credential ?? new DefaultAzureCredential(),
            'https://cognitiveservices.azure.com/.default',
          ),
        };
    this.client = new AzureOpenAI({
      endpoint: opts.endpoint,
      deployment: opts.deployment,
      apiVersion: opts.apiVersion ?? '2024-10-21',
      maxRetries: opts.maxRetries ?? 3,
      timeout: opts.timeoutMs ?? 30_000,
      ...auth,
    });
  }

  encode(texts: string[]): Promise<number[][]> {
    return this.embed(texts);
  }

  async embed(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      let res;
      try {
        res = await this.client.embeddings.create({ model: this.opts.deployment, input: batch });
      } catch (err) {
        throw new KnowledgeUnavailableError('azure-openai-embeddings', (err as Error).message, {
          cause: err,
        });
      }
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== batch.length) {
        throw new KnowledgeUnavailableError(
          'azure-openai-embeddings',
          `expected ${batch.length} embeddings, got ${sorted.length}`,
        );
      }
      out.push(...sorted.map((d) => d.embedding));
    }
    return out;
  }
}
