import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ); 100 on every Linux this runs on. */
const USER_HZ = 100;

function cpuMsOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields after the command name "(…)", which may itself contain spaces: utime is the 14th field.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/**
 * CPU time (user + system, ms) of a process so far: all its threads (`process`), and its main
 * thread alone (`eventLoop`: the thread that runs JavaScript turns; workers, libuv's pool and V8's
 * compiler and GC helper threads are the rest). NaN where /proc is absent.
 */
export function readCpuMs(pid: number): { process: number; eventLoop: number } {
  try {
    return { process: cpuMsOf(`/proc/${pid}/stat`), eventLoop: cpuMsOf(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return { process: NaN, eventLoop: NaN };
  }
}

/** Resident set size now (VmRSS), MiB; NaN where /proc is absent. */
export function readRssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
