import type {
  ClientCitation,
  ClientCitationIconName,
  SensitivityUsageInfo,
} from '@microsoft/teams-ai/lib/types';
import {
  highestLabel,
  labelForGroups,
  NO_SENSITIVITY_LABELS,
  type Citation,
  type SensitivityLabel,
  type SensitivityLabels,
} from '../knowledge';

/**
 * Turns the [n] markers a model writes into citations: only the sources it actually cited, renumbered
 * 1..k in order of first use, so the text, teams-ai `MessageContext.citations` (position = array
 * index + 1, as the default SAY action assumes) and Teams ClientCitation entities always agree.
 * Pure functions: the SAY action in the Teams layer calls them.
 */

// [1], [doc1], [docs1], [ 2 ], [1, 3], [doc1, doc3]
const MARKER = /(\s*)\[\s*((?:docs?\s*)?\d+(?:\s*,\s*(?:docs?\s*)?\d+)*)\s*\]/gi;

/** Teams limits (Teams SDK ClientCitation docs): name ≤ 80 chars, abstract ≤ 160, ≤ 3 keywords of ≤ 28. */
export const CLIENT_CITATION_LIMITS = Object.freeze({ name: 80, abstract: 160, keywords: 3, keyword: 28 });

function markerNumbers(group: string): number[] {
  return group.split(',').map((part) => Number(part.replace(/docs?/i, '').trim()));
}

interface CitedText {
  /** The text with markers renumbered 1..k and markers of unknown sources removed. */
  text: string;
  /** The cited sources, `index` renumbered to match the text, in order. */
  cited: Citation[];
}

/**
 * Keeps the sources the text cites, renumbered by first use. Markers naming a source that was not
 * offered (a model slip) are removed rather than left dangling. Idempotent.
 */
export function citeSources(text: string, offered: readonly Citation[]): CitedText {
  const byIndex = new Map(offered.map((c) => [c.index, c]));
  const renumber = new Map<number, number>();
  for (const match of text.matchAll(MARKER)) {
    for (const n of markerNumbers(match[2]!)) {
      if (byIndex.has(n) && !renumber.has(n)) renumber.set(n, renumber.size + 1);
    }
  }
  const rewritten = text.replace(MARKER, (_all, space: string, group: string) => {
    const kept = [...new Set(markerNumbers(group).filter((n) => renumber.has(n)))];
    return kept.length ? `${space}${kept.map((n) => `[${renumber.get(n)}]`).join('')}` : '';
  });
  const cited = [...renumber.entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([old, index]) => ({ ...byIndex.get(old)!, index }));
  return { text: rewritten, cited };
}

/** A reply text with the sources its [n] markers cite. */
export interface CitedAnswer {
  text: string;
  citations: Citation[];
}

/**
 * Two cited answers as one message (a message that asked two questions): the second's markers move
 * past the first's, a source both cite (same chunk and snippet) keeps one number, and the result is
 * renumbered by first use as `citeSources` does.
 */
export function joinCitedAnswers(first: CitedAnswer, second: CitedAnswer, separator: string): CitedAnswer {
  const merged = [...first.citations];
  const moved = new Map<number, number>();
  for (const c of second.citations) {
    const same = merged.find((m) => m.chunkId === c.chunkId && m.snippet === c.snippet);
    const index = same?.index ?? Math.max(0, ...merged.map((m) => m.index)) + 1;
    if (!same) merged.push({ ...c, index });
    moved.set(c.index, index);
  }
  const secondText = second.text.replace(MARKER, (_all, space: string, group: string) => {
    const kept = markerNumbers(group).flatMap((n) => (moved.has(n) ? [moved.get(n)!] : []));
    return kept.length ? `${space}${kept.map((n) => `[${n}]`).join('')}` : '';
  });
  const { text, cited } = citeSources(`${first.text}${separator}${secondText}`, merged);
  return { text, citations: cited };
}

/** The words of a cited text without its markers, for "does this add anything?". */
export function uncitedWords(text: string): string {
  return text.replace(MARKER, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** "Employee handbook (p. 2)": the document title, with the page when the source is paged. */
export function citationTitle(citation: Pick<Citation, 'title' | 'page' | 'source'>): string {
  const title = citation.title?.trim() || citation.source;
  return citation.page !== undefined ? `${title} (p. ${citation.page})` : title;
}

/**
 * Teams ClientCitation entities for the markers in `text` (which must use the numbering of
 * `citations`, e.g. the output of `citeSources`). Ordered by position; unknown markers are skipped.
 */
export function toClientCitations(
  text: string,
  citations: readonly Citation[],
  labels: SensitivityLabels = NO_SENSITIVITY_LABELS,
): ClientCitation[] {
  const byIndex = new Map(citations.map((c) => [c.index, c]));
  const used = new Set<number>();
  for (const match of text.matchAll(MARKER))
    for (const n of markerNumbers(match[2]!)) if (byIndex.has(n)) used.add(n);
  return [...used]
    .sort((a, b) => a - b)
    .map((position) => {
      const c = byIndex.get(position)!;
      const icon = iconFor(c.source);
      const url = httpUrl(c.url);
      const label = labelForGroups(c.groups, labels);
      return {
        '@type': 'Claim',
        position,
        appearance: {
          '@type': 'DigitalDocument',
          name: clip(citationTitle(c), CLIENT_CITATION_LIMITS.name),
          abstract: clip(c.snippet.replace(/\s+/g, ' ').trim(), CLIENT_CITATION_LIMITS.abstract),
          ...(url ? { url } : {}),
          ...(icon ? { image: { '@type': 'ImageObject', name: icon } } : {}),
          ...(c.page !== undefined ? { keywords: [`page ${c.page}`] } : {}),
          ...(label ? { usageInfo: usageInfo(label) } : {}),
        },
      } satisfies ClientCitation;
    });
}

/**
 * The message's sensitivity label (`usageInfo` on the AI message entity): the highest-priority label
 * among the cited documents' groups; undefined when every cited document is unlabelled (public).
 */
export function messageSensitivity(
  cited: readonly Citation[],
  labels: SensitivityLabels,
): SensitivityUsageInfo | undefined {
  const best = highestLabel(cited.map((c) => labelForGroups(c.groups, labels)));
  return best ? usageInfo(best) : undefined;
}

/** Teams' SensitivityUsageInfo shape (teams-ai types/SensitivityUsageInfo). */
function usageInfo(label: SensitivityLabel): SensitivityUsageInfo {
  return {
    type: 'https://schema.org/Message',
    '@type': 'CreativeWork',
    name: label.name,
    ...(label.description ? { description: label.description } : {}),
  };
}

/** Cuts at a word boundary when possible and marks the cut with an ellipsis; never exceeds `max`. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).trimEnd()}…`;
}

function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function iconFor(source: string): ClientCitationIconName | undefined {
  const ext = source.toLowerCase().split('.').pop();
  if (ext === 'pdf') return 'PDF';
  if (ext === 'docx' || ext === 'doc') return 'Microsoft Word';
  if (ext === 'md' || ext === 'txt' || ext === 'html' || ext === 'htm') return 'Text';
  return undefined;
}
