import { spawn } from 'node:child_process';
import path from 'node:path';
import PinoPretty from 'pino-pretty';
import { startPlayground } from './playground';

/**
 * `npm run dev`: the built bot in embedded mode on 127.0.0.1:3978 plus the Agents Playground
 * on 127.0.0.1:56150, then prints the URL to open. Ctrl+C stops both.
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const port = process.env.PORT ?? '3978';
  const bot = spawn(process.execPath, [path.join(root, 'dist', 'src', 'index.js')], {
    cwd: root,
    env: { ...process.env, HOST: process.env.HOST ?? '127.0.0.1', PORT: port },
    // The bot writes JSON lines (what App Service and Log Analytics want); a developer reads them
    // pretty-printed with local times. DEV_LOG_FORMAT=json keeps the raw lines.
    stdio: ['inherit', process.env.DEV_LOG_FORMAT === 'json' ? 'inherit' : 'pipe', 'inherit'],
  });
  bot.stdout?.pipe(
    PinoPretty({
      colorize: process.stdout.isTTY,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,service',
      singleLine: true,
    }),
  );
  bot.once('exit', (code) => {
    console.error(`bot exited (${code})`);
    process.exit(code ?? 1);
  });
  await waitForHealth(`http://127.0.0.1:${port}/healthz`);

  const playground = await startPlayground({
    botEndpoint: `http://127.0.0.1:${port}/api/messages`,
    port: Number(process.env.PLAYGROUND_PORT ?? 56150),
  });
  console.log(
    `\n  Chat with the bot: ${playground.url}\n  (Microsoft 365 Agents Playground, offline; Ctrl+C to stop)\n`,
  );

  const stop = async () => {
    await playground.stop();
    bot.kill('SIGTERM');
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`bot did not become healthy at ${url}`);
}

void main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
