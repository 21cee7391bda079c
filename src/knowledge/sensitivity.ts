import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { normalizeGroups } from './groups';
import { EVERYONE, KnowledgeInputError } from './types';

/**
 * Sensitivity labels per access group, declared in the knowledge metadata next to the documents
 * (`data/knowledge/groups.json`): an answer citing a document restricted to a labelled group carries
 * that label (Teams shows it on the message and on the citation). Documents for everyone have none.
 */
export interface SensitivityLabel {
  /** Shown by Teams on the message, e.g. "Confidential – HR". */
  name: string;
  /** Shown when the label is opened (how to handle the content). */
  description?: string;
  /** When an answer cites documents with different labels, the highest priority is shown. */
  priority: number;
}

/** Group object id (lower case, as on the chunks) → its label. */
export type SensitivityLabels = ReadonlyMap<string, SensitivityLabel>;

export const NO_SENSITIVITY_LABELS: SensitivityLabels = new Map();

const labelSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    description: z.string().trim().min(1).max(500).optional(),
    priority: z.number().int().min(0).max(1000).default(0),
  })
  .strict();
const fileSchema = z.object({
  $comment: z.string().optional(),
  groups: z.record(
    z.string(),
    // `label` names the group for people reading the file; it is never matched.
    z.object({ label: z.string().optional(), sensitivityLabel: labelSchema.optional() }).strict(),
  ),
});

/** Validates the metadata (JSON text); `origin` names the file in the error. */
export function parseSensitivityLabels(json: string, origin: string): SensitivityLabels {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new KnowledgeInputError(`${origin}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KnowledgeInputError(`${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const labels = new Map<string, SensitivityLabel>();
  for (const [group, meta] of Object.entries(parsed.data.groups)) {
    const [name] = normalizeGroups([group]);
    if (!name || !meta.sensitivityLabel) continue;
    if (name === EVERYONE) throw new KnowledgeInputError(`${origin}: "${EVERYONE}" documents carry no label`);
    labels.set(name, meta.sensitivityLabel);
  }
  return labels;
}

/** Reads the metadata file; a missing file means no labels. */
export async function loadSensitivityLabels(path: string): Promise<SensitivityLabels> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return NO_SENSITIVITY_LABELS;
    throw new KnowledgeInputError(`${path}: ${(err as Error).message}`);
  }
  return parseSensitivityLabels(json, path);
}

/** The label of a document with these groups: the highest-priority label among them, if any. */
export function labelForGroups(
  groups: readonly string[] | undefined,
  labels: SensitivityLabels,
): SensitivityLabel | undefined {
  return highest((groups ?? []).map((g) => labels.get(g.toLowerCase())));
}

/** The highest-priority label (the first one on ties); undefined when none is given. */
export function highest(
  candidates: ReadonlyArray<SensitivityLabel | undefined>,
): SensitivityLabel | undefined {
  let best: SensitivityLabel | undefined;
  for (const label of candidates) if (label && (!best || label.priority > best.priority)) best = label;
  return best;
}
