import matter from 'gray-matter';
import type { Section } from '../chunker';
import type { ParsedDocument } from './types';

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

/**
 * Splits Markdown into sections by ATX headings, tracking the heading path. A level-1 heading
 * equal to the title is not repeated in the path.
 */
export function markdownSections(body: string, title?: string): { sections: Section[]; firstH1?: string } {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let lines: string[] = [];
  let inFence = false;
  let firstH1: string | undefined;
  const path = () =>
    stack
      .map((h) => h.text)
      .filter((t, i) => !(i === 0 && stack[0]!.level === 1 && t === (title ?? firstH1)));
  const flush = () => {
    const text = lines.join('\n').trim();
    if (text) sections.push({ headingPath: path(), text });
    lines = [];
  };
  for (const line of body.split(/\r?\n/)) {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : HEADING.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    flush();
    const level = m[1]!.length;
    const text = m[2]!.replace(/[*_`]/g, '').trim();
    if (level === 1 && firstH1 === undefined) firstH1 = text;
    while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, text });
  }
  flush();
  return { sections, firstH1 };
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.map((v) => String(v));
  return undefined;
}

/** Reads front matter (`title`, `groups`, `url`) with gray-matter, then splits by headings. */
export function parseMarkdown(text: string, fallbackTitle: string): ParsedDocument {
  const fm = matter(text);
  const data = fm.data as Record<string, unknown>;
  const fmTitle = typeof data.title === 'string' ? data.title.trim() : undefined;
  const first = markdownSections(fm.content, fmTitle);
  const title = fmTitle || first.firstH1 || fallbackTitle;
  const { sections } = fmTitle ? first : markdownSections(fm.content, title);
  return {
    title,
    sections,
    groups: stringList(data.groups),
    ...(typeof data.url === 'string' ? { url: data.url } : {}),
    ...(typeof data.language === 'string' ? { language: data.language } : {}),
  };
}

/** Plain text: optional front matter, one section. */
export function parsePlainText(text: string, fallbackTitle: string): ParsedDocument {
  const fm = matter(text);
  const data = fm.data as Record<string, unknown>;
  const title = typeof data.title === 'string' && data.title.trim() ? data.title.trim() : fallbackTitle;
  const body = fm.content.trim();
  return {
    title,
    sections: body ? [{ headingPath: [], text: body }] : [],
    groups: stringList(data.groups),
    ...(typeof data.url === 'string' ? { url: data.url } : {}),
    ...(typeof data.language === 'string' ? { language: data.language } : {}),
  };
}
