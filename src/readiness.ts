/**
 * Readiness: a named set of dependency checks. `/readyz` runs them all (each bounded by a
 * timeout so a hung dependency cannot hang the probe) and reports each one's state.
 */
interface DependencyStatus {
  ok: boolean;
  mode: string;
  detail?: string;
  /** Circuit breaker state in front of the dependency (closed, open, half-open), when it has one. */
  circuit?: string;
}

interface DependencyCheck {
  name: string;
  mode: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
  /** A dependency the bot can serve without (it degrades) still shows, but does not fail readiness. */
  optional?: boolean;
  /** Reports the breaker state shown next to the check's result. */
  circuit?: () => string;
}

interface ReadinessReport {
  ready: boolean;
  dependencies: Record<string, DependencyStatus>;
}

export class Readiness {
  private readonly checks: DependencyCheck[] = [];

  constructor(private readonly timeoutMs = 3000) {}

  add(check: DependencyCheck): this {
    this.checks.push(check);
    return this;
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      this.checks.map(async (c): Promise<[string, DependencyStatus, boolean]> => {
        const result = await withTimeout(c.check(), this.timeoutMs).catch((err: unknown) => ({
          ok: false,
          detail: err instanceof Error ? err.message : String(err),
        }));
        const status: DependencyStatus = {
          ok: result.ok,
          mode: c.mode,
          ...(result.detail ? { detail: result.detail } : {}),
        };
        if (c.circuit) status.circuit = c.circuit();
        return [c.name, status, !!c.optional];
      }),
    );
    return {
      ready: entries.every(([, status, optional]) => status.ok || optional),
      dependencies: Object.fromEntries(entries.map(([name, status]) => [name, status])),
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
