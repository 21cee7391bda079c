import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ParsedDocument } from './types';

/**
 * PDF text per page with pdfjs-dist, run on a short-lived worker thread.
 *
 * Why a worker: pdfjs-dist's legacy build (the one that runs on Node 20 without a DOM) bundles
 * core-js polyfills that replace globals of the isolate that loads it — `Array.prototype.push` and
 * `JSON.parse` among them — with JavaScript versions. Loaded into the bot's own isolate (the
 * embedded mode ingests the sample knowledge base at start-up) they slowed every array push and
 * JSON parse of every later turn. On a worker, they stay in the worker's isolate and go with it.
 */

// Plain CommonJS run with `eval`, so it works the same from src/ under tsx, from dist/ and in tests.
// pdfjs-dist ships ESM only, hence the dynamic import of its resolved file URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');

function pageText(items) {
  let out = '';
  for (const item of items) {
    if (typeof item.str !== 'string') continue;
    out += item.str;
    out += item.hasEOL ? '\\n' : '';
  }
  // pdfjs marks every line end; a blank line (paragraph break) survives as \\n\\n.
  return out.replace(/[ \\t]+\\n/g, '\\n').trim();
}

async function parse() {
  const { getDocument } = await import(workerData.pdfjsUrl);
  const doc = await getDocument({
    data: workerData.data,
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  try {
    const meta = await doc.getMetadata().catch(() => ({ info: undefined }));
    const title = meta.info && typeof meta.info.Title === 'string' ? meta.info.Title.trim() : '';
    const sections = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const text = pageText((await page.getTextContent()).items);
      page.cleanup();
      if (text) sections.push({ headingPath: [], page: n, text });
    }
    return { title, sections };
  } finally {
    await doc.destroy();
  }
}

parse().then(
  (result) => parentPort.postMessage({ result }),
  (err) => parentPort.postMessage({ error: String((err && err.message) || err) }),
);
`;

let pdfjsUrl: string | undefined;

/** One section per page with its 1-based page number; title from the PDF's Info dictionary. */
export async function parsePdf(data: Buffer, fallbackTitle: string): Promise<ParsedDocument> {
  pdfjsUrl ??= pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
  const bytes = new Uint8Array(data); // a copy the worker can own
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { pdfjsUrl, data: bytes },
    transferList: [bytes.buffer],
    execArgv: [],
  });
  try {
    const outcome = await new Promise<{
      result?: Pick<ParsedDocument, 'title' | 'sections'>;
      error?: string;
    }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`PDF parser worker exited (${code})`)));
    });
    if (!outcome.result) throw new Error(outcome.error ?? 'PDF parser failed');
    return { title: outcome.result.title || fallbackTitle, sections: outcome.result.sections };
  } finally {
    await worker.terminate();
  }
}
