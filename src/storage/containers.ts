import containersJson from './containers.json';

/** One container as declared in containers.json (Bicep loads the same file). */
export interface ContainerSpec {
  name: string;
  partitionKey: string;
  /** Cosmos defaultTtl: -1 = TTL on but items never expire unless they set `ttl`; n>0 = seconds. */
  defaultTtlSeconds: number;
}

interface ContainersFile {
  database: string;
  searchIndex: string;
  containers: ContainerSpec[];
}

export const containersFile: ContainersFile = containersJson;

/** Logical container names this module owns. */
export const STATE_CONTAINER = 'state';
export const TRANSCRIPTS_CONTAINER = 'transcripts';
export const LEASES_CONTAINER = 'leases';

export function containerSpec(name: string): ContainerSpec {
  const spec = containersFile.containers.find((c) => c.name === name);
  if (!spec) throw new Error(`Container "${name}" is not declared in src/storage/containers.json`);
  return spec;
}
