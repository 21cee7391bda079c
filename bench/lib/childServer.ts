/**
 * The benchmarks' view of scripts/lib/serverProcess.ts: a bot server (the floor or the full bot) in
 * its own Node process, the same process model for both.
 */
export {
  freeLoopbackPort as freePort,
  PROJECT_ROOT,
  readPeakRssMiB,
  startServerProcess as startChildServer,
  type ServerProcess as ChildServer,
  type ServerProcessOptions as ChildServerOptions,
} from '../../scripts/lib/serverProcess';
