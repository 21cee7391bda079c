import { join } from 'node:path';
import { startChildServer, type ChildServer } from './childServer';
import { runLoad } from './loadGenerator';
import type { PeerSpec } from './peerRounds';
import { readRssMiB } from './procCpu';
import type { ReplyConnector } from './replyConnector';
import { mixScript } from './turnsBenchmark';

/**
 * RSS of the full bot over a long run (bench:turns --soak N), sampled after each of `samples` steps,
 * with where it goes: the bot's main-thread V8 heap (`nodejs_heap_size_*` on its /metrics), the
 * embedded store's worker heap (`bot_embedded_cosmos_heap_bytes`, where the documents live) and
 * V8's external memory (buffers). With `store: 'external'` the Cosmos-protocol server runs in a
 * process of its own (bench/cosmosStore.ts) and the bot reaches it through COSMOS_ENDPOINT, so the
 * bot process's RSS holds no stored documents; the store process's curve is reported beside it.
 */
export type SoakStore = 'embedded' | 'external';

export interface SoakSample {
  turns: number;
  rssMiB: number;
  mainHeapUsedMiB?: number;
  mainHeapTotalMiB?: number;
  externalMiB?: number;
  storeHeapUsedMiB?: number;
  storeHeapTotalMiB?: number;
  /** External store only: its process's RSS and the documents it holds, by container. */
  storeRssMiB?: number;
  documents?: Record<string, number>;
}

export interface SoakResult {
  store: SoakStore;
  turns: number;
  /** Bot process RSS after each step (MiB). */
  rssMiB: number[];
  /** Last minus the second sample (the first step includes start-up growth). */
  growthMiB: number;
  samples: SoakSample[];
  /** External store only: store process RSS after each step, and its growth (last minus second). */
  storeRssMiB?: number[];
  storeGrowthMiB?: number;
  /** External store only: store RSS growth per transcript document between the second and last sample, KiB. */
  storeKiBPerTranscript?: number;
  /** External store only: the transcript documents at the end, and their average JSON size as written. */
  transcriptDocuments?: { documents: number; jsonBytesPerDocument: number };
  errors: number;
}

const MiB = 1024 * 1024;
const r1 = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? undefined : Math.round(x * 10) / 10;

/** The bot's memory gauges from its /metrics (prom-client defaults plus the embedded store's heap). */
async function botGauges(url: string): Promise<Partial<SoakSample>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const gauge = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) / MiB : undefined;
  };
  return {
    mainHeapUsedMiB: r1(gauge(/^nodejs_heap_size_used_bytes (\S+)/m)),
    mainHeapTotalMiB: r1(gauge(/^nodejs_heap_size_total_bytes (\S+)/m)),
    externalMiB: r1(gauge(/^nodejs_external_memory_bytes (\S+)/m)),
    storeHeapUsedMiB: r1(gauge(/^bot_embedded_cosmos_heap_bytes\{kind="used"\} (\S+)/m)),
    storeHeapTotalMiB: r1(gauge(/^bot_embedded_cosmos_heap_bytes\{kind="total"\} (\S+)/m)),
  };
}

interface StoreView {
  rssBytes: number;
  workerHeapUsedBytes?: number;
  workerHeapTotalBytes?: number;
  documents: Record<string, number>;
  endpoint: string;
}

async function storeView(store: ChildServer): Promise<StoreView> {
  return (await (await fetch(`${store.url}/store`)).json()) as StoreView;
}

async function startBot(
  peer: PeerSpec,
  store: ChildServer | undefined,
  dataDir: string,
): Promise<ChildServer> {
  if (!store) return startChildServer({ script: peer.script, env: peer.env, readyPath: peer.readyPath });
  const { endpoint } = await storeView(store);
  return startChildServer({
    script: peer.script,
    readyPath: peer.readyPath,
    env: {
      ...peer.env,
      COSMOS_ENDPOINT: endpoint,
      COSMOS_KEY: 'any',
      COSMOS_ALLOW_SELF_SIGNED: 'true',
      // One location on loopback: discovery would only add a metadata round trip.
      COSMOS_ENDPOINT_DISCOVERY: 'false',
      TRANSCRIPT_SPOOL_DIR: join(dataDir, 'soak-transcript-spool'),
    },
  });
}

async function sample(bot: ChildServer, store: ChildServer | undefined, turns: number): Promise<SoakSample> {
  const s: SoakSample = { turns, rssMiB: r1(readRssMiB(bot.pid))!, ...(await botGauges(bot.url)) };
  if (!store) return s;
  const view = await storeView(store);
  return {
    ...s,
    storeRssMiB: r1(readRssMiB(store.pid)),
    storeHeapUsedMiB: r1((view.workerHeapUsedBytes ?? NaN) / MiB),
    storeHeapTotalMiB: r1((view.workerHeapTotalBytes ?? NaN) / MiB),
    documents: view.documents,
  };
}

function summarise(
  store: SoakStore,
  turns: number,
  samples: SoakSample[],
  errors: number,
  transcriptDocuments?: SoakResult['transcriptDocuments'],
): SoakResult {
  const rssMiB = samples.map((s) => s.rssMiB);
  const growth = (xs: number[]) => r1(xs.at(-1)! - (xs[1] ?? xs[0]!)) ?? NaN;
  const result: SoakResult = { store, turns, rssMiB, growthMiB: growth(rssMiB), samples, errors };
  if (store !== 'external') return result;
  const storeRssMiB = samples.map((s) => s.storeRssMiB ?? NaN);
  const first = samples[1] ?? samples[0]!;
  const last = samples.at(-1)!;
  const transcripts = (last.documents?.transcripts ?? 0) - (first.documents?.transcripts ?? 0);
  return {
    ...result,
    storeRssMiB,
    storeGrowthMiB: growth(storeRssMiB),
    ...(transcriptDocuments ? { transcriptDocuments } : {}),
    ...(transcripts > 0
      ? { storeKiBPerTranscript: r1(((last.storeRssMiB! - first.storeRssMiB!) * 1024) / transcripts) }
      : {}),
  };
}

/** Runs `turns` turns at c16 in `samples` steps against one bot, sampling memory after each step. */
export async function runSoak(opts: {
  peer: PeerSpec;
  connector: ReplyConnector;
  turns: number;
  samples: number;
  store: SoakStore;
  dataDir: string;
  log: (m: string) => void;
}): Promise<SoakResult> {
  const store =
    opts.store === 'external' ? await startChildServer({ script: 'bench/cosmosStore.ts' }) : undefined;
  const samples: SoakSample[] = [];
  let errors = 0;
  let transcriptDocuments: SoakResult['transcriptDocuments'];
  try {
    const bot = await startBot(opts.peer, store, opts.dataDir);
    try {
      const step = Math.ceil(opts.turns / opts.samples);
      for (let done = 0; done < opts.turns; done += step) {
        const turns = Math.min(step, opts.turns - done);
        const load = { botUrl: bot.url, connector: opts.connector, concurrency: 16, script: mixScript };
        errors += (await runLoad({ ...load, turns })).errors;
        const s = await sample(bot, store, done + turns);
        samples.push(s);
        opts.log(
          `soak ${opts.peer.name} (store ${opts.store}): ${s.turns} turns, RSS ${s.rssMiB} MiB, main heap ` +
            `${s.mainHeapUsedMiB}/${s.mainHeapTotalMiB}, store heap ${s.storeHeapUsedMiB}/${s.storeHeapTotalMiB}` +
            (store ? `, store RSS ${s.storeRssMiB} MiB, ${s.documents?.transcripts} transcripts` : ''),
        );
      }
    } finally {
      await bot.stop(30_000);
    }
    if (store)
      transcriptDocuments = (await (
        await fetch(`${store.url}/transcript-bytes`)
      ).json()) as typeof transcriptDocuments;
  } finally {
    await store?.stop(30_000);
  }
  return summarise(opts.store, opts.turns, samples, errors, transcriptDocuments);
}
