/**
 * The candidate units of an extractive answer, cut from a chunk's text: sentences, Markdown table
 * rows and numbered-list steps, with the heading lines above them as context (answers.ts scores them).
 */

/**
 * A candidate for the answer: a sentence, a table row written as "Header: cell; …", or one step of a
 * numbered list. `headings` are heading lines found above it inside the chunk (a PDF page starts
 * with its title as a plain line): they are context, never part of the sentence. `list` numbers the
 * numbered list a step belongs to, so a chosen step brings its whole procedure.
 */
export interface Unit {
  text: string;
  headings: string[];
  list?: number;
  /** Numbers the table a row belongs to: another row of it is another answer, not more of this one. */
  table?: number;
}

/**
 * Candidate units of a chunk: paragraphs and list items, with hard-wrapped lines (Markdown, PDF)
 * re-joined, split into sentences; a Markdown table gives one candidate per data row, written as
 * "Header: cell; Header: cell" so the row carries its column names (a question about the cost of
 * express shipping matches the Express row through its "Cost" column) and reads as text in a chat.
 */
export function unitsOf(content: string): Unit[] {
  const out: Unit[] = [];
  let headings: string[] = [];
  content.split(/\n\s*\n/).forEach((block, b) => {
    const rows = tableRows(block);
    if (rows) {
      out.push(...rows.map((text) => ({ text, headings, table: b })));
      return;
    }
    for (const part of proseParts(block)) {
      if (part.heading) {
        headings = [...headings, part.text];
        continue;
      }
      if (part.step) out.push({ text: part.text, headings, list: b });
      else out.push(...splitSentences(part.text).map((text) => ({ text, headings })));
    }
  });
  return (
    out
      .map((u) => ({ ...u, text: u.text.trim() }))
      // Chinese says in 6 characters what English needs 12 letters for.
      .filter((u) =>
        HAN.test(u.text) ? [...u.text].length >= 6 : u.text.length >= 12 && /[A-Za-z]/.test(u.text),
      )
  );
}

export const HAN = /\p{Script=Han}/u;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s/;
const NUMBERED = /^\s*\d+[.)]\s/;

/**
 * A heading line inside a chunk's text: a short line without closing punctuation, followed by a
 * line that starts a sentence (PDF and plain-text pages carry their section titles this way).
 */
function isHeadingLine(line: string, next: string | undefined): boolean {
  const t = line.trim();
  if (/^#{1,6}\s/.test(t)) return true;
  if (!next || !t || LIST_ITEM.test(t) || HAN.test(t)) return false;
  if (/[.!?:;,)"']$/.test(t) || !/^[\p{Lu}\d]/u.test(t)) return false;
  if (t.length > 60 || t.split(/\s+/).length > 8) return false;
  return /^\s*[\p{Lu}\d"(]/u.test(next) || LIST_ITEM.test(next);
}

/** The paragraphs, list items and heading lines of a block, with hard-wrapped lines re-joined. */
function proseParts(block: string): { text: string; heading?: true; step?: true }[] {
  const lines = block.split('\n').filter((l) => l.trim());
  const parts: { text: string; heading?: true; step?: true }[] = [];
  let current: string[] = [];
  const flush = () => {
    if (!current.length) return;
    // A hard-wrapped Chinese line joins without a space; everything else with one.
    const text = current
      .join('\n')
      .replace(/(\p{Script=Han})\s*\n\s*(?=\p{Script=Han})/gu, '$1')
      .replace(/\s+/g, ' ')
      .trim();
    parts.push(NUMBERED.test(current[0]!) ? { text, step: true } : { text });
    current = [];
  };
  lines.forEach((line, i) => {
    // Only a line that starts the block or follows a finished sentence can be a heading.
    const prev = i > 0 ? lines[i - 1]!.trim() : '';
    const afterBreak = i === 0 || /[.!?:]$/.test(prev) || parts.at(-1)?.heading;
    if (afterBreak && !current.length && isHeadingLine(line, lines[i + 1])) {
      parts.push({ text: line.trim().replace(/^#{1,6}\s+/, ''), heading: true });
      return;
    }
    if (afterBreak && current.length && isHeadingLine(line, lines[i + 1])) {
      flush();
      parts.push({ text: line.trim().replace(/^#{1,6}\s+/, ''), heading: true });
      return;
    }
    if (LIST_ITEM.test(line)) flush();
    current.push(line);
  });
  flush();
  return parts;
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z0-9"(])|(?<=[。！？])/);
}

const TABLE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;

/** The data rows of a Markdown table (header row, separator row, rows), or undefined for anything else. */
function tableRows(block: string): string[] | undefined {
  const lines = block
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length < 3 || !lines.every((l) => l.startsWith('|')) || !TABLE_SEPARATOR.test(lines[1]!))
    return undefined;
  const cells = (line: string) =>
    line
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((c) => c.trim());
  const header = cells(lines[0]!);
  return lines.slice(2).map((line) =>
    cells(line)
      .map((cell, i) => (cell && header[i] ? `${header[i]}: ${cell}` : cell))
      .filter(Boolean)
      .join('; '),
  );
}
