import { createHash } from 'node:crypto';
import { countTokens, decodeTokens, encodeTokens } from '../text/tokens';
import { KnowledgeInputError } from './types';

/** A run of text under one heading path (and one PDF page), as produced by a parser. */
export interface Section {
  headingPath: string[];
  page?: number;
  text: string;
}

export interface ChunkingOptions {
  /** Maximum tokens per chunk (default 512). */
  chunkTokens?: number;
  /** Tokens repeated from the end of one chunk at the start of the next (default 64). */
  overlapTokens?: number;
}

interface TextChunk {
  text: string;
  headingPath: string[];
  page?: number;
  tokens: number;
}

export const DEFAULT_CHUNK_TOKENS = 512;
export const DEFAULT_OVERLAP_TOKENS = 64;

export function resolveChunking(opts: ChunkingOptions = {}): Required<ChunkingOptions> {
  const chunkTokens = opts.chunkTokens ?? DEFAULT_CHUNK_TOKENS;
  const overlapTokens = opts.overlapTokens ?? DEFAULT_OVERLAP_TOKENS;
  if (!Number.isInteger(chunkTokens) || chunkTokens < 16 || chunkTokens > 8192) {
    throw new KnowledgeInputError(`chunkTokens must be an integer between 16 and 8192, got ${chunkTokens}`);
  }
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens >= chunkTokens / 2) {
    throw new KnowledgeInputError(
      `overlapTokens must be an integer in [0, chunkTokens/2), got ${overlapTokens}`,
    );
  }
  return { chunkTokens, overlapTokens };
}

interface Unit {
  text: string;
  tokens: number;
}

const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z0-9"'([])/;

/** Paragraphs, then sentences, then hard token windows: every unit fits in `max` tokens. */
function units(text: string, max: number): Unit[] {
  const out: Unit[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const p = para.replace(/[ \t]+/g, ' ').trim();
    if (!p) continue;
    const pTokens = countTokens(p);
    if (pTokens <= max) {
      out.push({ text: p, tokens: pTokens });
      continue;
    }
    for (const sentence of p.split(SENTENCE_END)) {
      const tokens = encodeTokens(sentence);
      if (tokens.length <= max) {
        out.push({ text: sentence, tokens: tokens.length });
        continue;
      }
      for (let i = 0; i < tokens.length; i += max) {
        const slice = tokens.slice(i, i + max);
        out.push({ text: decodeTokens(slice), tokens: slice.length });
      }
    }
  }
  return out;
}

/**
 * Packs each section's paragraphs/sentences into chunks of at most `chunkTokens` tokens; a new chunk
 * starts with the trailing units of the previous one that fit in `overlapTokens`. Chunks never span
 * sections, so each keeps one heading path and page.
 */
export function chunkSections(sections: readonly Section[], opts: ChunkingOptions = {}): TextChunk[] {
  const { chunkTokens, overlapTokens } = resolveChunking(opts);
  const chunks: TextChunk[] = [];
  for (const section of sections) {
    let current: Unit[] = [];
    let currentTokens = 0;
    let fresh = 0; // units in `current` not yet emitted in a previous chunk
    const flush = () => {
      if (!fresh) return;
      chunks.push({
        text: current.map((u) => u.text).join('\n\n'),
        headingPath: section.headingPath,
        ...(section.page !== undefined ? { page: section.page } : {}),
        tokens: currentTokens,
      });
      // Carry whole trailing units that fit in the overlap budget.
      const carry: Unit[] = [];
      let carryTokens = 0;
      for (let i = current.length - 1; i >= 0; i--) {
        const u = current[i]!;
        if (carryTokens + u.tokens > overlapTokens) break;
        carry.unshift(u);
        carryTokens += u.tokens;
      }
      current = carry;
      currentTokens = carryTokens;
      fresh = 0;
    };
    for (const unit of units(section.text, chunkTokens)) {
      // `+ 2` approximates the paragraph separator's tokens.
      if (currentTokens + unit.tokens + 2 > chunkTokens) {
        flush();
        // The carried overlap plus this unit may still be too long: drop the overlap.
        if (currentTokens + unit.tokens + 2 > chunkTokens) {
          current = [];
          currentTokens = 0;
        }
      }
      current.push(unit);
      currentTokens += unit.tokens + (current.length > 1 ? 2 : 0);
      fresh++;
    }
    flush();
  }
  return chunks;
}

/** Stable, key-safe chunk id: 16 hex chars of sha1(source) + ordinal. */
export function chunkId(source: string, ordinal: number): string {
  return `${createHash('sha1').update(source).digest('hex').slice(0, 16)}-${ordinal}`;
}
