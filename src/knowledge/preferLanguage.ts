import type { KnowledgeHit } from './types';

/**
 * Hits in `language` first, each group in its original order; the rest stay after them, so a
 * question in Chinese gets the Chinese version of a policy and, when only an English one exists,
 * still that one (the answer then says its source is in English).
 */
export function preferLanguage(hits: KnowledgeHit[], language: string | undefined): KnowledgeHit[] {
  if (!language) return hits;
  const same = (h: KnowledgeHit) => (h.language ?? 'en') === language;
  return [...hits.filter(same), ...hits.filter((h) => !same(h))];
}
