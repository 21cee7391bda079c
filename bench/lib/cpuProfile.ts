import { readFileSync } from 'node:fs';

/** Subset of V8's .cpuprofile format (what `node --cpu-prof` writes). */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTimeEntry {
  function: string;
  /** File (project-relative when under the project, else the package path from node_modules/). */
  location: string;
  selfMs: number;
  selfPercent: number;
}

function shortLocation(url: string, line: number): string {
  if (!url) return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  const shown =
    nm >= 0 ? path.slice(nm + 'node_modules/'.length) : path.replace(/^.*?\/(src|bench|test)\//, '$1/');
  return `${shown}:${line + 1}`;
}

/** Self time (µs) per function + location, summed over the samples (inside `window`, if given). */
export function selfTimeByLocation(
  profile: CpuProfile,
  window?: { fromUs: number; toUs: number },
): { function: string; location: string; us: number }[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, { function: string; location: string; us: number }>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  samples.forEach((id, i) => {
    const node = byNode.get(id);
    const delta = Math.max(0, deltas[i] ?? 0);
    at += deltas[i] ?? 0;
    if (!node || (window && (at < window.fromUs || at > window.toUs))) return;
    const fn = node.callFrame.functionName || '(anonymous)';
    const loc = shortLocation(node.callFrame.url, node.callFrame.lineNumber);
    const key = `${fn}@${loc}`;
    const entry = selfUs.get(key) ?? { function: fn, location: loc, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  });
  return [...selfUs.values()];
}

/**
 * Top functions by self time in a V8 CPU profile (samples × time deltas, aggregated per function + location).
 * `window` (µs on the profile's clock, which on Linux is CLOCK_MONOTONIC like process.hrtime) keeps only
 * samples taken inside it, e.g. the measured load phase without start-up and model training.
 */
export function topSelfTime(
  profile: CpuProfile,
  limit = 15,
  window?: { fromUs: number; toUs: number },
): { totalMs: number; top: SelfTimeEntry[]; byArea: { area: string; selfPercent: number }[] } {
  const entries = selfTimeByLocation(profile, window);
  const totalUs = entries.reduce((sum, e) => sum + e.us, 0);
  const areas = new Map<string, number>();
  for (const e of entries) areas.set(areaOf(e.location), (areas.get(areaOf(e.location)) ?? 0) + e.us);
  const byArea = [...areas]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([area, us]) => ({ area, selfPercent: totalUs ? Math.round((us / totalUs) * 1000) / 10 : 0 }));
  const top = entries
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({
      function: e.function,
      location: e.location,
      selfMs: Math.round(e.us / 10) / 100,
      selfPercent: totalUs ? Math.round((e.us / totalUs) * 1000) / 10 : 0,
    }));
  return { totalMs: Math.round(totalUs / 1000), top, byArea };
}

/** Where time goes, coarsely: an npm package, a src/ folder, Node internals or native (GC, I/O, idle). */
export function areaOf(location: string): string {
  if (location.startsWith('(native)')) return '(native: gc, i/o, idle)';
  if (location.startsWith('node:')) return 'node internals';
  const src = /^(src|bench|test)\/([^/:]+)/.exec(location);
  if (src) return src[2]!.includes('.') ? src[1]! : `${src[1]}/${src[2]}`;
  const pkg = /^(@[^/]+\/[^/]+|[^/:]+)/.exec(location);
  return pkg ? pkg[1]! : location;
}

export function readCpuProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}
