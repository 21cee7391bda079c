import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/knowledge/textAnalysis';

describe('knowledge text analysis', () => {
  it('gives an acronym and its plural one term ("NDAs" finds "NDA"), not a word ending in s', () => {
    expect(analyze("what's our policy on NDAs?")).toContain(analyze('NDA')[0]);
    expect(analyze('SLAs and PDFs')).toEqual([...analyze('SLA'), ...analyze('PDF')]);
    // Only an acronym in capitals loses its s: "gas" and "Ndas" stay as they are.
    expect(analyze('gas')).toEqual(['gas']);
    expect(analyze('Ndas')).toEqual(['ndas']);
  });
});
