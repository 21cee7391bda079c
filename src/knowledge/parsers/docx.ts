import mammoth from 'mammoth';
import { parseHtml } from './html';
import type { ParsedDocument } from './types';

/** DOCX → HTML with mammoth (Word heading styles become h1–h6), then the HTML parser. */
export async function parseDocx(data: Buffer, fallbackTitle: string): Promise<ParsedDocument> {
  const { value } = await mammoth.convertToHtml({ buffer: data });
  return parseHtml(value, fallbackTitle);
}
