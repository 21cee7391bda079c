import { describe, expect, it } from 'vitest';
import {
  KnowledgeInputError,
  labelForGroups,
  loadSensitivityLabels,
  parseSensitivityLabels,
} from '../../src/knowledge';
import { messageSensitivity } from '../../src/planner/citations';
import { SAMPLE_GROUPS } from '../helpers/sampleGroups';

const citation = (groups: string[]) => ({
  index: 1,
  title: 't',
  source: 's.md',
  snippet: 'x',
  chunkId: 'c',
  groups,
});

describe('sensitivity labels (knowledge metadata per group)', () => {
  it('reads the sample metadata: HR and legal are labelled, documents for everyone are not', async () => {
    const labels = await loadSensitivityLabels('data/knowledge/groups.json');
    expect(labelForGroups([SAMPLE_GROUPS.hr], labels)?.name).toBe('Confidential – HR');
    expect(labelForGroups([SAMPLE_GROUPS.legal], labels)?.name).toBe('Confidential – Legal');
    expect(labelForGroups(['hr'], labels)).toBeUndefined(); // a name is not an id
    expect(labelForGroups(['everyone'], labels)).toBeUndefined();
    expect(labelForGroups(undefined, labels)).toBeUndefined();
  });

  it('a missing file means no labels', async () => {
    const labels = await loadSensitivityLabels('data/knowledge/does-not-exist.json');
    expect(labels.size).toBe(0);
  });

  it('shows the highest-priority label when an answer cites documents of several groups', () => {
    const labels = parseSensitivityLabels(
      JSON.stringify({
        groups: {
          HR: { sensitivityLabel: { name: 'Internal', priority: 1 } },
          legal: {
            sensitivityLabel: { name: 'Highly confidential', description: 'Legal only', priority: 9 },
          },
          sales: {},
        },
      }),
      'test',
    );
    expect(labelForGroups(['hr'], labels)?.name).toBe('Internal');
    expect(messageSensitivity([citation(['hr']), citation(['legal'])], labels)).toEqual({
      type: 'https://schema.org/Message',
      '@type': 'CreativeWork',
      name: 'Highly confidential',
      description: 'Legal only',
    });
    expect(messageSensitivity([citation(['everyone']), citation(['sales'])], labels)).toBeUndefined();
  });

  it('rejects malformed metadata with the file and field named', () => {
    expect(() => parseSensitivityLabels('{', 'groups.json')).toThrow(/groups\.json: not valid JSON/);
    expect(() =>
      parseSensitivityLabels(
        JSON.stringify({ groups: { hr: { sensitivityLabel: { name: '' } } } }),
        'g.json',
      ),
    ).toThrow(KnowledgeInputError);
    expect(() =>
      parseSensitivityLabels(
        JSON.stringify({ groups: { everyone: { sensitivityLabel: { name: 'x' } } } }),
        'g',
      ),
    ).toThrow(/everyone/);
  });
});
