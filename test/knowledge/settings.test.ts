import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { knowledgeOptions } from '../../src/knowledge/settings';

describe('knowledge options', () => {
  it('leaves retries to the search policy: neither the Search SDK nor the embedder retries on its own', () => {
    const config = loadConfig({
      AZURE_SEARCH_ENDPOINT: 'https://search.example',
      AZURE_SEARCH_KEY: 'k',
      AZURE_OPENAI_ENDPOINT: 'https://openai.example',
      AZURE_OPENAI_DEPLOYMENT: 'chat',
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_EMBEDDING_DEPLOYMENT: 'embed',
    });
    const options = knowledgeOptions(config);
    expect(options.azure?.maxRetries).toBe(0);
    expect(options.embeddings).toMatchObject({ deployment: 'embed', maxRetries: 0 });
  });
});
