import { MultiBar, Presets } from 'cli-progress';

export interface Stage {
  increment(): void;
}

/**
 * Progress for long runs: cli-progress bars on a terminal; on a pipe or CI log (no TTY) one line per
 * stage every 25 % instead, so logs stay readable.
 */
export class Progress {
  private readonly bars = process.stderr.isTTY
    ? new MultiBar(
        {
          format: '{stage} {bar} {value}/{total} | {duration}s',
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      )
    : undefined;

  constructor(private readonly prefix: string) {}

  log(message: string): void {
    if (this.bars) this.bars.log(`[${this.prefix}] ${message}\n`);
    else process.stderr.write(`[${this.prefix}] ${message}\n`);
  }

  stage(name: string, total: number): Stage {
    if (this.bars) {
      const bar = this.bars.create(total, 0, { stage: name.padEnd(22) });
      return { increment: () => bar.increment() };
    }
    let done = 0;
    let reported = 0;
    return {
      increment: () => {
        done++;
        const quarter = Math.floor((done / Math.max(1, total)) * 4);
        if (quarter > reported) {
          reported = quarter;
          this.log(`${name}: ${done}/${total}`);
        }
      },
    };
  }

  stop(): void {
    this.bars?.stop();
  }
}
