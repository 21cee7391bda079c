import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freeLoopbackPort } from './lib/serverProcess';

/**
 * Starts the Microsoft 365 Agents Playground (the offline Teams-like client) pointed at a
 * bot endpoint, bound to 127.0.0.1 only. The package's CLI binds every interface and tries
 * to open a browser, so it runs with a loopback-forcing preload and TEAMSAPPTESTER_BROWSER=none.
 */
export interface RunningPlayground {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..');

export async function startPlayground(options: {
  botEndpoint: string;
  port?: number;
  logFile?: string;
}): Promise<RunningPlayground> {
  // The service URL must name the real port, so pick a free one up front when asked for 0.
  const port = options.port === 0 ? await freeLoopbackPort() : (options.port ?? 56150);
  const logFile = options.logFile ?? path.join(ROOT, '.data', 'playground.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(ROOT, 'scripts', 'loopback-only.cjs'),
      cli,
      'start',
      '--app-endpoint',
      options.botEndpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(port),
      // The bot replies to this URL; name the loopback address, not "localhost" (which may be ::1).
      '--service-url',
      `http://127.0.0.1:${port}/_connector`,
      '--disable-telemetry',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', TEAMSAPPTESTER_LOGFILE: logFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );

  const actualPort = await new Promise<number>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`Agents Playground exited with ${code}: ${output.slice(-500)}`)),
    );
    setTimeout(
      () => reject(new Error(`Agents Playground did not start: ${output.slice(-500)}`)),
      30_000,
    ).unref();
  });

  return {
    url: `http://127.0.0.1:${actualPort}`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
