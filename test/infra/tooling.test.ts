import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bicepParser, readBicep, type BicepFile } from './bicepTree';

const root = resolve(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const pkg = JSON.parse(read('package.json')) as { main: string; scripts: Record<string, string> };

interface Task {
  label: string;
  type?: string;
  command?: string;
  args?: Record<string, unknown>;
  dependsOn?: string[];
}
const tasks = (JSON.parse(read('.vscode/tasks.json')) as { tasks: Task[] }).tasks;
const launch = JSON.parse(read('.vscode/launch.json')) as {
  configurations: Array<{ name: string; type: string; port?: number; url?: string }>;
  compounds: Array<{ name: string; configurations: string[]; preLaunchTask?: string }>;
};
const task = (label: string) => {
  const found = tasks.find((t) => t.label === label);
  if (!found) throw new Error(`no task ${label}`);
  return found;
};

/** `npm run <script>` / `npm start` mentions in a command line. */
function npmScripts(command: string): string[] {
  const scripts = [...command.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
  if (/npm start\b/.test(command)) scripts.push('start');
  return scripts;
}

/** The Toolkit project file of an environment (the design card fixes the teamsapp*.yml names). */
const projectFileOf: Record<string, string> = {
  local: 'teamsapp.local.yml',
  testtool: 'teamsapp.testtool.yml',
  dev: 'teamsapp.yml',
};

interface Action {
  uses: string;
  with?: Record<string, unknown>;
}
const actionsOf = (file: string) => {
  const doc = parse(read(file)) as Record<string, Action[] | undefined>;
  return ['provision', 'deploy', 'publish'].flatMap((stage) => doc[stage] ?? []);
};

describe('.vscode: local debug with a dev tunnel', () => {
  it('every launch compound runs an existing task, and every task dependency exists', () => {
    const labels = tasks.map((t) => t.label);
    for (const compound of launch.compounds) {
      expect(labels, compound.name).toContain(compound.preLaunchTask);
      for (const c of compound.configurations) {
        expect(
          launch.configurations.map((x) => x.name),
          compound.name,
        ).toContain(c);
      }
    }
    for (const t of tasks) for (const d of t.dependsOn ?? []) expect(labels, t.label).toContain(d);
    expect(launch.compounds.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Debug in Teams (Edge)', 'Debug in Microsoft 365 Agents Playground']),
    );
  });

  it('starts a dev tunnel on the bot port that writes BOT_ENDPOINT and BOT_DOMAIN to env local', () => {
    const tunnel = task('Start local tunnel');
    expect(tunnel.type).toBe('teamsfx');
    expect(tunnel.command).toBe('debug-start-local-tunnel');
    const args = tunnel.args as {
      type: string;
      env: string;
      ports: Array<{ portNumber: number; writeToEnvironmentFile: Record<string, string> }>;
    };
    expect(args.type).toBe('dev-tunnel');
    expect(args.env).toBe('local');
    expect(args.ports).toHaveLength(1);
    expect(args.ports[0].portNumber).toBe(3978);
    expect(args.ports[0].writeToEnvironmentFile).toEqual({ endpoint: 'BOT_ENDPOINT', domain: 'BOT_DOMAIN' });
    // teamsapp.local.yml registers the bot at that endpoint.
    expect(read('teamsapp.local.yml')).toContain('messagingEndpoint: ${{BOT_ENDPOINT}}/api/messages');
    // And the tunnel comes before provisioning in the Teams sequence.
    const order = task('Start Teams App Locally').dependsOn!;
    expect(order.indexOf('Start local tunnel')).toBeLessThan(order.indexOf('Create resources'));
  });

  it('Toolkit tasks name environments that have a project file; shell tasks use files and scripts that exist', () => {
    for (const t of tasks.filter((x) => x.type === 'teamsfx' && x.args && 'env' in x.args)) {
      const env = String(t.args!.env);
      expect(projectFileOf[env], t.label).toBeDefined();
      expect(existsSync(join(root, projectFileOf[env])), t.label).toBe(true);
    }
    const targets = Object.values(projectFileOf).flatMap((file) =>
      actionsOf(file)
        .filter((a) => a.uses === 'file/createOrUpdateEnvironmentFile')
        .map((a) => String(a.with!.target).replace(/^\.\//, '')),
    );
    for (const t of tasks.filter((x) => x.type === 'shell')) {
      const command = t.command!;
      for (const script of npmScripts(command)) expect(Object.keys(pkg.scripts), t.label).toContain(script);
      for (const [, sourced] of command.matchAll(/\. \.\/(\S+)/g))
        expect(targets, t.label).toContain(sourced);
      for (const [, js] of command.matchAll(/node (?:--inspect=\d+ )?(\S+\.js)/g)) expect(js).toBe(pkg.main);
    }
    const inspect = /--inspect=(\d+)/.exec(task('Start application').command!)![1];
    const attach = launch.configurations.find((c) => c.type === 'node' && c.port);
    expect(String(attach?.port)).toBe(inspect);
  });

  it('catches a task that runs a script package.json does not have', () => {
    expect(npmScripts('npm run build && npm run no-such-script && npm start')).toEqual([
      'build',
      'no-such-script',
      'start',
    ]);
    expect(Object.keys(pkg.scripts)).not.toContain('no-such-script');
  });
});

describe('Toolkit project files reference files and scripts that exist', () => {
  it.each(Object.values(projectFileOf))('%s', (file) => {
    const paths: string[] = [];
    for (const action of actionsOf(file)) {
      const w = action.with ?? {};
      for (const key of ['manifestPath', 'ignoreFile']) if (typeof w[key] === 'string') paths.push(w[key]);
      for (const t of (w.templates as Array<{ path: string; parameters?: string }> | undefined) ?? []) {
        paths.push(t.path);
        if (t.parameters) paths.push(t.parameters);
      }
      if (action.uses === 'cli/runNpmCommand') {
        for (const script of npmScripts(`npm ${String(w.args)}`))
          expect(Object.keys(pkg.scripts), file).toContain(script);
      }
    }
    // The Playground file only installs and writes .localConfigs.playground: no paths to check.
    expect(paths.length > 0, file).toBe(file !== 'teamsapp.testtool.yml');
    for (const p of paths) expect(existsSync(join(root, p)), `${file}: ${p}`).toBe(true);
  });
});

describe('azure.yaml: azd up provisions and deploys the same Bicep', () => {
  const azure = parse(read('azure.yaml')) as {
    infra: { provider: string; path: string; module: string };
    services: Record<string, { project: string; host: string; language: string }>;
    hooks?: Record<string, { run: string }>;
  };
  let entry: BicepFile;
  let appservice: BicepFile;

  beforeAll(async () => {
    const parser = await bicepParser();
    entry = readBicep(parser, join(root, azure.infra.path, `${azure.infra.module}.bicep`));
    appservice = readBicep(parser, join(root, 'infra/modules/appservice.bicep'));
  });

  it('uses a Bicep entry point that deploys infra/main.bicep, with an azd parameters file', () => {
    expect(azure.infra.provider).toBe('bicep');
    expect(entry.problems).toEqual([]);
    const modules = entry.modules.map((m) => resolve(dirname(entry.path), m.path));
    expect(modules).toEqual([join(root, 'infra/main.bicep')]);
    const parameters = JSON.parse(read(join(azure.infra.path, `${azure.infra.module}.parameters.json`))) as {
      parameters: Record<string, { value: unknown }>;
    };
    const declared = entry.params.map((p) => p.name);
    expect(Object.keys(parameters.parameters).filter((k) => !declared.includes(k))).toEqual([]);
    expect(parameters.parameters.environmentName.value).toBe('${AZURE_ENV_NAME}');
    // No Toolkit placeholders (azd does not substitute ${{...}}).
    expect(JSON.stringify(parameters)).not.toContain('${{');
  });

  it('deploys the bot service to the App Service tagged azd-service-name, built by existing scripts', () => {
    const [name, service] = Object.entries(azure.services)[0];
    expect(service.host).toBe('appservice');
    expect(existsSync(join(root, service.project, 'package.json'))).toBe(true);
    const site = appservice.resources.find((r) => r.type === 'Microsoft.Web/sites')!;
    expect(site.body.text).toContain(`'azd-service-name': '${name}'`);
    for (const hook of Object.values(azure.hooks ?? {})) {
      for (const script of npmScripts(hook.run)) expect(Object.keys(pkg.scripts)).toContain(script);
    }
  });
});
