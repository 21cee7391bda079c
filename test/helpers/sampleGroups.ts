import { readFileSync } from 'node:fs';
import { SAMPLE_DIRECTORY_PATH } from '../../src/knowledge';

/** The sample directory's group object ids by label (data/sample/directory.json): hr, legal, support. */
function load(): Record<'hr' | 'legal' | 'support', string> {
  const file = JSON.parse(readFileSync(SAMPLE_DIRECTORY_PATH, 'utf8')) as {
    groups: Record<string, { label: string }>;
  };
  const byLabel = Object.fromEntries(Object.entries(file.groups).map(([id, g]) => [g.label, id]));
  for (const label of ['hr', 'legal', 'support']) {
    if (!byLabel[label]) throw new Error(`sample directory has no group labelled ${label}`);
  }
  return byLabel as Record<'hr' | 'legal' | 'support', string>;
}

export const SAMPLE_GROUPS = load();
