/**
 * Knowledge ingestion CLI:
 *   npm run ingest -- <folder> [--delete-missing] [--chunk-tokens 512] [--overlap-tokens 64] [--index-path .data/knowledge-index.json]
 * Uses Azure AI Search when AZURE_SEARCH_ENDPOINT is set, otherwise the embedded index file.
 * Exit code: 0 all good, 1 usage or backend error, 2 some files failed (the rest were indexed).
 */
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../src/config';
import { parseArgs } from 'node:util';
import { createKnowledgeSearch, ingestFolder, knowledgeOptions, type IngestSummary } from '../src/knowledge';

const USAGE =
  'usage: npm run ingest -- <folder> [--delete-missing] [--chunk-tokens N] [--overlap-tokens N] [--index-path FILE]';

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got ${value}`);
  return n;
}

function printSummary(s: IngestSummary, seconds: number): void {
  const line = (label: string, items: string[]) =>
    console.log(
      `  ${label.padEnd(10)} ${items.length}${items.length && items.length <= 20 ? `  (${items.join(', ')})` : ''}`,
    );
  console.log(`\nIngested ${s.scanned} files in ${seconds.toFixed(1)} s, ${s.chunksWritten} chunks written`);
  line('added', s.added);
  line('updated', s.updated);
  line('unchanged', s.unchanged);
  line('deleted', s.deleted);
  console.log(`  ${'failed'.padEnd(10)} ${s.failed.length}`);
  for (const f of s.failed) console.log(`    ✗ ${f.error}`);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        'delete-missing': { type: 'boolean', default: false },
        'chunk-tokens': { type: 'string' },
        'overlap-tokens': { type: 'string' },
        'index-path': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const folder = args.positionals[0];
  if (args.values.help || !folder || args.positionals.length > 1) {
    console.error(USAGE);
    return args.values.help ? 0 : 1;
  }
  const options = knowledgeOptions(loadConfig(process.env));
  if (args.values['index-path']) options.indexPath = args.values['index-path'];
  const search = createKnowledgeSearch(options);
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} files | {file}', hideCursor: true, noTTYOutput: false },
    Presets.shades_classic,
  );
  const started = Date.now();
  let barStarted = false;
  try {
    const summary = await ingestFolder(folder, search, {
      deleteMissing: args.values['delete-missing'],
      chunkTokens: intOption(args.values['chunk-tokens'], 'chunk-tokens'),
      overlapTokens: intOption(args.values['overlap-tokens'], 'overlap-tokens'),
      onProgress: ({ done, total, file }) => {
        if (!barStarted) {
          bar.start(total, 0, { file: '' });
          barStarted = true;
        }
        bar.update(done, { file });
      },
    });
    if (barStarted) bar.stop();
    await search.close();
    console.log(
      `backend: ${options.azure ? `Azure AI Search (${options.azure.endpoint})` : `embedded (${options.indexPath ?? '.data/knowledge-index.json'})`}`,
    );
    printSummary(summary, (Date.now() - started) / 1000);
    return summary.failed.length ? 2 : 0;
  } catch (err) {
    if (barStarted) bar.stop();
    console.error(`ingest failed: ${(err as Error).message}`);
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
