import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseDocx } from './docx';
import { parseHtml } from './html';
import { parseMarkdown, parsePlainText } from './markdown';
import { parsePdf } from './pdf';
import { DocumentParseError, type ParsedDocument } from './types';

export { DocumentParseError, type ParsedDocument } from './types';

export const SUPPORTED_EXTENSIONS = ['.md', '.markdown', '.txt', '.html', '.htm', '.pdf', '.docx'] as const;

export function isSupported(file: string): boolean {
  return (SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(file).toLowerCase());
}

/** "employee-handbook_2025.pdf" → "Employee handbook 2025" */
function titleFromFileName(file: string): string {
  const stem = basename(file, extname(file)).replace(/[-_]+/g, ' ').trim();
  return stem ? stem[0]!.toUpperCase() + stem.slice(1) : basename(file);
}

/** Parses a file's bytes by extension. Throws DocumentParseError for unreadable content. */
export async function parseDocument(file: string, data: Buffer): Promise<ParsedDocument> {
  const ext = extname(file).toLowerCase();
  const fallback = titleFromFileName(file);
  try {
    switch (ext) {
      case '.md':
      case '.markdown':
        return parseMarkdown(data.toString('utf8'), fallback);
      case '.txt':
        return parsePlainText(data.toString('utf8'), fallback);
      case '.html':
      case '.htm':
        return parseHtml(data.toString('utf8'), fallback);
      case '.pdf':
        return await parsePdf(data, fallback);
      case '.docx':
        return await parseDocx(data, fallback);
      default:
        throw new DocumentParseError(file, `unsupported file type ${ext || '(none)'}`);
    }
  } catch (err) {
    if (err instanceof DocumentParseError) throw err;
    throw new DocumentParseError(file, `cannot parse: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
    });
  }
}

/** Sidecar metadata `<file>.meta.json`: `{ "groups": ["hr"], "title": "...", "url": "...", "language": "zh-CN" }`. */
interface SidecarMeta {
  groups?: string[];
  title?: string;
  url?: string;
  language?: string;
}

export async function readSidecar(file: string): Promise<SidecarMeta | undefined> {
  let raw: string;
  try {
    raw = await readFile(`${file}.meta.json`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new DocumentParseError(`${file}.meta.json`, 'not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DocumentParseError(`${file}.meta.json`, 'must be a JSON object');
  }
  const o = parsed as Record<string, unknown>;
  if (o.groups !== undefined && !(Array.isArray(o.groups) && o.groups.every((g) => typeof g === 'string'))) {
    throw new DocumentParseError(`${file}.meta.json`, '"groups" must be an array of strings');
  }
  return {
    ...(o.groups ? { groups: o.groups as string[] } : {}),
    ...(typeof o.title === 'string' ? { title: o.title } : {}),
    ...(typeof o.url === 'string' ? { url: o.url } : {}),
    ...(typeof o.language === 'string' ? { language: o.language } : {}),
  };
}
