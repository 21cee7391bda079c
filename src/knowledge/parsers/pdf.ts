import type { ParsedDocument } from './types';

// pdfjs-dist ships ESM only; the legacy build runs on Node 20 without a DOM.
interface TextItem {
  str?: string;
  hasEOL?: boolean;
}
interface PdfPage {
  getTextContent(): Promise<{ items: TextItem[] }>;
  cleanup(): void;
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
  getMetadata(): Promise<{ info?: { Title?: unknown } }>;
  destroy(): Promise<void>;
}
interface PdfJs {
  getDocument(src: Record<string, unknown>): { promise: Promise<PdfDocument> };
}

let pdfjs: Promise<PdfJs> | undefined;
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs' as string) as Promise<PdfJs>;
  return pdfjs;
}

function pageText(items: TextItem[]): string {
  let out = '';
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    out += item.str;
    out += item.hasEOL ? '\n' : '';
  }
  // pdfjs marks every line end; a blank line (paragraph break) survives as \n\n.
  return out.replace(/[ \t]+\n/g, '\n').trim();
}

/** One section per page with its 1-based page number; title from the PDF's Info dictionary. */
export async function parsePdf(data: Buffer, fallbackTitle: string): Promise<ParsedDocument> {
  const { getDocument } = await loadPdfJs();
  const doc = await getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  try {
    const meta = await doc.getMetadata().catch(() => ({ info: undefined }));
    const metaTitle = typeof meta.info?.Title === 'string' ? meta.info.Title.trim() : '';
    const sections = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const text = pageText((await page.getTextContent()).items);
      page.cleanup();
      if (text) sections.push({ headingPath: [], page: n, text });
    }
    return { title: metaTitle || fallbackTitle, sections };
  } finally {
    await doc.destroy();
  }
}
