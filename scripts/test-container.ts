/**
 * `npm run test:container`: builds the project's Dockerfile and proves the image answers.
 *
 * No Docker engine and no registry pull here, so the script
 *   1. makes a minimal Node base image from this machine's own files (the node binary, npm, the
 *      shared libraries they link, a POSIX shell for npm scripts, CA certificates, a `node` user
 *      with uid 1000 like the official Node images), imported with `buildah from scratch`;
 *   2. builds the Dockerfile on it: `buildah bud --isolation chroot --build-arg BASE_IMAGE=<that image>`
 *      (the npm cache of this machine is mounted so `npm ci` need not download everything again);
 *   3. starts the image's CMD with `buildah run --isolation chroot` on 127.0.0.1, waits for /healthz,
 *      runs the image's HEALTHCHECK command, checks the process is not root, and sends one Teams
 *      message activity whose reply is captured by a local connector;
 *   4. prints the image size and removes the containers, images and temp folders it made.
 * Exits non-zero with the reason on any failure. Needs root (buildah) and the `buildah` package.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  chmodSync,
  cpSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freeLoopbackPort, PROJECT_ROOT } from './lib/serverProcess';
import { LocalConnector } from '../test/helpers/connector';
import { message, personalConversation } from '../test/helpers/activities';

const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const BASE_TAG = `localhost/tsb-node-base:${RUN_ID}`;
const APP_TAG = `localhost/teams-service-bot:test-${RUN_ID}`;
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const START_TIMEOUT_MS = 180_000;
const REPLY_TIMEOUT_MS = 60_000;

function buildah(args: string[], opts: { inherit?: boolean } = {}): string {
  const out = execFileSync('buildah', args, {
    encoding: 'utf8',
    stdio: opts.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  return (out ?? '').trim();
}

/** This process's hard limit of open files (what buildah may raise the build's limit to). */
function openFilesLimit(): number {
  const hard = Number(execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim());
  return Number.isFinite(hard) && hard > 0 ? Math.min(hard, 65536) : 4096;
}

function log(line: string): void {
  console.log(`[test:container] ${line}`);
}

/** Shared libraries a binary links (absolute paths from ldd). */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

function copyInto(rootfs: string, hostPath: string, targetPath = hostPath): void {
  const target = join(rootfs, targetPath);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(hostPath), target);
  chmodSync(target, 0o755);
}

/** A minimal root file system with this machine's Node (the shape of the official image: /usr/local). */
function makeBaseRootfs(rootfs: string): void {
  const node = realpathSync(process.execPath);
  const npmDir = realpathSync(
    join(
      dirname(realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())),
      '..',
    ),
  );
  const shell = realpathSync('/bin/sh');
  const env = realpathSync('/usr/bin/env');
  copyInto(rootfs, node, '/usr/local/bin/node');
  copyInto(rootfs, shell, '/bin/sh');
  copyInto(rootfs, env, '/usr/bin/env');
  for (const bin of [node, shell, env]) for (const lib of sharedLibraries(bin)) copyInto(rootfs, lib);
  const npmTarget = join(rootfs, 'usr/local/lib/node_modules/npm');
  cpSync(npmDir, npmTarget, { recursive: true, dereference: true });
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));
  // The CA certificates this machine trusts (its own bundle plus NODE_EXTRA_CA_CERTS), so npm in
  // the build reaches the registry through whatever TLS path this machine uses.
  const bundles = ['/etc/ssl/certs/ca-certificates.crt', process.env.NODE_EXTRA_CA_CERTS ?? ''];
  const pem = bundles.filter((f) => f && existsSync(f)).map((f) => readFileSync(f, 'utf8'));
  mkdirSync(join(rootfs, 'etc/ssl/certs'), { recursive: true });
  writeFileSync(join(rootfs, CA_BUNDLE), pem.join('\n'));
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  writeFileSync(
    join(rootfs, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/sh\n',
  );
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n');
  for (const dir of ['root', 'home/node', 'tmp', 'dev', 'proc', 'sys'])
    mkdirSync(join(rootfs, dir), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

async function waitForHealthz(url: string, bot: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (bot.exitCode !== null) throw new Error(`container exited with ${bot.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`/healthz not 200 within ${START_TIMEOUT_MS} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface ImageConfig {
  User?: string;
  Cmd?: string[];
  Entrypoint?: string[] | null;
  Env?: string[];
  Healthcheck?: { Test?: string[] };
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'tsb-container-'));
  const rootfs = join(work, 'rootfs');
  const containers: string[] = [];
  const images: string[] = [];
  let bot: ChildProcess | undefined;
  const connector = new LocalConnector();
  try {
    log('making a Node base image from this machine’s files');
    makeBaseRootfs(rootfs);
    const baseCtr = buildah(['from', 'scratch']);
    containers.push(baseCtr);
    const mount = buildah(['mount', baseCtr]);
    cpSync(rootfs, mount, { recursive: true, verbatimSymlinks: true });
    execFileSync('chown', ['-R', '1000:1000', join(mount, 'home/node')]);
    buildah(['umount', baseCtr]);
    buildah([
      'config',
      '--env',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--env',
      `NODE_EXTRA_CA_CERTS=${CA_BUNDLE}`,
      '--cmd',
      'node',
      baseCtr,
    ]);
    buildah(['commit', '--quiet', '--rm', baseCtr, BASE_TAG]);
    containers.pop();
    images.push(BASE_TAG);

    log(`building the Dockerfile on ${BASE_TAG}`);
    const npmCache = join(homedir(), '.npm');
    buildah(
      [
        'bud',
        '--isolation',
        'chroot',
        '--format',
        'docker',
        '--pull-never',
        // buildah's default of 1024 open files is too few for npm ci's parallel cache reads.
        '--ulimit',
        `nofile=${openFilesLimit()}:${openFilesLimit()}`,
        '--build-arg',
        `BASE_IMAGE=${BASE_TAG}`,
        '--build-arg',
        'NPM_CONFIG_PREFER_OFFLINE=true',
        ...(existsSync(npmCache) ? ['--volume', `${npmCache}:/root/.npm`] : []),
        '--tag',
        APP_TAG,
        '--file',
        join(PROJECT_ROOT, 'Dockerfile'),
        PROJECT_ROOT,
      ],
      { inherit: true },
    );
    images.push(APP_TAG);
    const inspected = JSON.parse(buildah(['inspect', '--type', 'image', APP_TAG])) as {
      Docker?: { config?: ImageConfig };
    };
    const config: ImageConfig = inspected.Docker?.config ?? {};
    const fail = (why: string) => {
      throw new Error(`image config: ${why}`);
    };
    if (config.User !== 'node') fail(`USER is ${JSON.stringify(config.User)}, expected node`);
    if (!config.Env?.includes('NODE_ENV=production')) fail('NODE_ENV=production missing');
    const health = config.Healthcheck?.Test ?? [];
    if (health[0] !== 'CMD' || !health.join(' ').includes('/healthz'))
      fail(`HEALTHCHECK ${JSON.stringify(health)}`);
    const cmd = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    if (!cmd.length) fail('no CMD');

    const ctr = buildah(['from', '--pull-never', APP_TAG]);
    containers.push(ctr);
    const port = await freeLoopbackPort();
    const runEnv = ['--env', 'HOST=127.0.0.1', '--env', `PORT=${port}`, '--env', 'LOG_LEVEL=warn'];
    const uid = buildah([
      'run',
      '--isolation',
      'chroot',
      ...runEnv,
      ctr,
      '--',
      'node',
      '-p',
      'process.getuid()',
    ]);
    if (uid.trim() === '0') throw new Error('the container runs as root');
    log(`container user uid ${uid.trim()}; starting ${cmd.join(' ')} on 127.0.0.1:${port}`);

    const lines: string[] = [];
    bot = spawn('buildah', ['run', '--isolation', 'chroot', ...runEnv, ctr, '--', ...cmd], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const keep = (chunk: Buffer) => {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    bot.stdout!.on('data', keep);
    bot.stderr!.on('data', keep);
    const url = `http://127.0.0.1:${port}`;
    await waitForHealthz(url, bot, () => lines.slice(-40).join('\n'));
    log(`/healthz 200 after ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // The image's own HEALTHCHECK command, run inside the container as Docker would.
    buildah(['run', '--isolation', 'chroot', ...runEnv, ctr, '--', ...health.slice(1)]);
    log('HEALTHCHECK command exits 0');

    await connector.start();
    const conv = personalConversation();
    const activity = message(connector.url, conv, 'How many days do I have to return an item?');
    const res = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
      signal: AbortSignal.timeout(REPLY_TIMEOUT_MS),
    });
    if (res.status >= 300) throw new Error(`/api/messages answered ${res.status}: ${await res.text()}`);
    const calls = await connector.waitFor(
      () =>
        connector
          .messages(conv.id)
          .some((c) => typeof c.activity.text === 'string' && c.activity.text.length > 0),
      REPLY_TIMEOUT_MS,
    );
    const reply = calls.find((c) => c.conversationId === conv.id && c.activity.type === 'message');
    if (reply?.activityId !== activity.id)
      throw new Error(`reply not threaded to the activity: ${JSON.stringify(reply)}`);
    // An answer from the sample knowledge base indexed inside the container (returns-and-refunds.md:
    // the return procedure, cited).
    if (!/Sign in to your account and open Orders\. \[1\]/.test(String(reply.activity.text)))
      throw new Error(`reply does not answer from the knowledge base: ${String(reply.activity.text)}`);
    log(`one turn: reply "${String(reply.activity.text).slice(0, 100).replace(/\s+/g, ' ')}…"`);

    const size = buildah(['images', '--format', '{{.Size}}', APP_TAG]);
    const baseSize = buildah(['images', '--format', '{{.Size}}', BASE_TAG]);
    log(`image size ${size} (of which the base image built here: ${baseSize})`);
    log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await connector.stop().catch(() => undefined);
    if (bot?.pid && bot.exitCode === null) {
      const exited = new Promise((r) => bot!.once('close', r));
      try {
        process.kill(-bot.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-bot!.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
    }
    for (const c of containers.reverse()) {
      try {
        buildah(['rm', c]);
      } catch (err) {
        console.error(`[test:container] cleanup: buildah rm ${c}: ${(err as Error).message}`);
      }
    }
    for (const image of images.reverse()) {
      try {
        buildah(['rmi', image]);
      } catch (err) {
        console.error(`[test:container] cleanup: buildah rmi ${image}: ${(err as Error).message}`);
      }
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[test:container] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
