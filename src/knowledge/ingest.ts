import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { chunkId, chunkSections, resolveChunking, type ChunkingOptions } from './chunker';
import { documentGroupIds } from './groups';
import { DocumentParseError, isSupported, parseDocument, readSidecar } from './parsers';
import { KnowledgeInputError, type KnowledgeChunk, type KnowledgeSearch } from './types';
import { ANALYZER_VERSION } from './textAnalysis';
import { detectLanguage } from '../text/language';

export interface IngestOptions extends ChunkingOptions {
  /** Remove chunks of files that were indexed from this folder but no longer exist. */
  deleteMissing?: boolean;
  /** Sources are stored relative to this directory (default: process.cwd()). */
  sourceRoot?: string;
  onProgress?: (p: { done: number; total: number; file: string }) => void;
}

export interface IngestFailure {
  source: string;
  error: string;
}

export interface IngestSummary {
  scanned: number;
  added: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
  failed: IngestFailure[];
  chunksWritten: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile() && isSupported(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Source identity: posix path relative to the source root (absolute when outside it). */
export function sourceOf(file: string, sourceRoot: string): string {
  const rel = relative(sourceRoot, file);
  const path = rel.startsWith('..') || isAbsolute(rel) ? resolve(file) : rel;
  return path.split(sep).join('/');
}

async function readOptional(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

/**
 * Parses, chunks and indexes every supported file under `folder`. Incremental: a file whose hash
 * (bytes + sidecar + chunk settings) matches the index is skipped. A file that cannot be parsed
 * is reported in `failed` and the rest continue; a backend failure aborts (it would fail them all).
 */
export async function ingestFolder(
  folder: string,
  search: KnowledgeSearch,
  opts: IngestOptions = {},
): Promise<IngestSummary> {
  const chunking = resolveChunking(opts);
  const root = resolve(opts.sourceRoot ?? process.cwd());
  const dir = resolve(folder);
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    throw new KnowledgeInputError(`cannot read folder ${folder}: ${(err as Error).message}`);
  }
  const indexed = new Map((await search.listSources()).map((s) => [s.source, s.contentHash]));
  const summary: IngestSummary = {
    scanned: files.length,
    added: [],
    updated: [],
    unchanged: [],
    deleted: [],
    failed: [],
    chunksWritten: 0,
  };
  const seen = new Set<string>();

  for (const [i, file] of files.entries()) {
    const source = sourceOf(file, root);
    seen.add(source);
    try {
      await ingestFile(file, source, indexed.get(source), search, chunking, summary);
    } catch (err) {
      if (!(err instanceof DocumentParseError)) throw err;
      summary.failed.push({ source, error: err.message });
    } finally {
      opts.onProgress?.({ done: i + 1, total: files.length, file: source });
    }
  }

  if (opts.deleteMissing) {
    const prefix = sourceOf(dir, root);
    const under = (s: string) => prefix === '' || s === prefix || s.startsWith(`${prefix}/`);
    for (const source of indexed.keys()) {
      if (under(source) && !seen.has(source)) {
        await search.deleteBySource(source);
        summary.deleted.push(source);
      }
    }
  }
  return summary;
}

type Chunking = ReturnType<typeof resolveChunking>;

/** One file: skipped when its hash matches `previous`, else (re)indexed; counted in `summary`. */
async function ingestFile(
  file: string,
  source: string,
  previous: string | undefined,
  search: KnowledgeSearch,
  chunking: Chunking,
  summary: IngestSummary,
): Promise<void> {
  const data = await readFile(file);
  const sidecarBytes = await readOptional(`${file}.meta.json`);
  const contentHash = createHash('sha256')
    .update(data)
    .update('\0')
    .update(sidecarBytes)
    .update(`\0${chunking.chunkTokens}/${chunking.overlapTokens}/${ANALYZER_VERSION}`)
    .digest('hex');
  if (previous === contentHash) {
    summary.unchanged.push(source);
    return;
  }
  const chunks = await chunksOf(file, source, data, contentHash, chunking);
  if (previous !== undefined) await search.deleteBySource(source);
  await search.upsert(chunks);
  summary.chunksWritten += chunks.length;
  (previous === undefined ? summary.added : summary.updated).push(source);
}

/** The file's chunks with its metadata (the sidecar's wins over the document's own). */
async function chunksOf(
  file: string,
  source: string,
  data: Buffer,
  contentHash: string,
  chunking: Chunking,
): Promise<KnowledgeChunk[]> {
  const sidecar = await readSidecar(file);
  const doc = await parseDocument(file, data);
  // Groups are stored as given, and must be Entra group object ids: the index then holds
  // exactly what is enforced, with no label → id mapping that could drift or be missing where
  // groups come from Microsoft Graph. A name is refused (file not indexed, listed as failed)
  // rather than indexed under a group nobody is in, or dropped to "everyone".
  const resolved = documentGroupIds(sidecar?.groups ?? doc.groups);
  if (!resolved.ok)
    throw new DocumentParseError(
      source,
      `group "${resolved.invalid}" is not an Entra group object id (GUID); name groups by id (labels: data/sample/directory.json)`,
    );
  const groups = resolved.groups;
  const title = sidecar?.title ?? doc.title;
  const url = sidecar?.url ?? doc.url;
  const language =
    sidecar?.language ?? doc.language ?? detectLanguage(doc.sections.map((s) => s.text).join('\n'));
  const chunks: KnowledgeChunk[] = chunkSections(doc.sections, chunking).map((c, ordinal) => ({
    id: chunkId(source, ordinal),
    content: c.text,
    title,
    headingPath: c.headingPath,
    source,
    ...(url ? { url } : {}),
    ...(c.page !== undefined ? { page: c.page } : {}),
    groups,
    language,
    contentHash,
    ordinal,
  }));
  if (!chunks.length) throw new DocumentParseError(source, 'no text found');
  return chunks;
}
