import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bicepParser, readBicep } from './bicepTree';
import {
  checkVariableFlow,
  envFileKeys,
  type Action,
  type FlowContext,
  type LifecycleDoc,
} from './lifecycleFlow';

const root = resolve(__dirname, '..', '..');

/** Project file → the environment it serves (the Toolkit maps env "local"/"testtool" to these names). */
const PROJECT_FILES = {
  'teamsapp.yml': 'dev',
  'teamsapp.local.yml': 'local',
  'teamsapp.testtool.yml': 'testtool',
} as const;
type ProjectFile = keyof typeof PROJECT_FILES;

const read = (path: string) => readFileSync(join(root, path), 'utf8');
const docs = new Map<ProjectFile, LifecycleDoc>();
let mainOutputs: string[] = [];

function doc(file: ProjectFile): LifecycleDoc {
  return docs.get(file)!;
}

function actions(file: ProjectFile, stage: 'provision' | 'deploy' | 'publish'): Action[] {
  return doc(file)[stage] ?? [];
}

function uses(file: ProjectFile, stage: 'provision' | 'deploy' | 'publish'): string[] {
  return actions(file, stage).map((a) => a.uses);
}

function contextFor(file: ProjectFile): FlowContext {
  const envFile = `env/.env.${PROJECT_FILES[file]}`;
  return {
    envFileVars: new Set(envFileKeys(read(envFile)).keys()),
    templateOutputs: (path) => {
      if (resolve(root, path) !== join(root, 'infra/main.bicep'))
        throw new Error(`unexpected template ${path}`);
      return mainOutputs;
    },
    readFile: (path) => read(path),
  };
}

function isGitIgnored(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', path], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  for (const file of Object.keys(PROJECT_FILES) as ProjectFile[]) {
    docs.set(file, parse(read(file)) as LifecycleDoc);
  }
  const parser = await bicepParser();
  mainOutputs = readBicep(parser, join(root, 'infra/main.bicep')).outputs.map((o) => o.name);
});

describe('Teams Toolkit project files', () => {
  it.each(Object.keys(PROJECT_FILES) as ProjectFile[])(
    '%s declares a current Microsoft 365 Agents Toolkit schema (v1.14) matching its version',
    (file) => {
      const firstLine = read(file).split('\n')[0];
      const schema =
        /^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/(v1\.(\d+))\/yaml\.schema\.json$/.exec(
          firstLine,
        );
      expect(schema, firstLine).not.toBeNull();
      expect(Number(schema![2])).toBeGreaterThanOrEqual(14);
      expect(doc(file).version).toBe(schema![1]);
    },
  );

  it('teamsapp.yml provisions the app and Azure, then validates, packages and updates the app', () => {
    const provision = uses('teamsapp.yml', 'provision');
    const expected = [
      'teamsApp/create',
      'arm/deploy',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ];
    expect(provision.filter((u) => expected.includes(u))).toEqual(expected);
    const arm = actions('teamsapp.yml', 'provision').find((a) => a.uses === 'arm/deploy')!;
    const [template] = arm.with!.templates as Array<{
      path: string;
      parameters: string;
      deploymentName: string;
    }>;
    expect(resolve(root, template.path)).toBe(join(root, 'infra/main.bicep'));
    expect(existsSync(join(root, template.parameters))).toBe(true);
    expect(template.deploymentName).toBeTruthy();
  });

  it('teamsapp.yml deploys with npm ci, a build and a zip deploy to the provisioned App Service', () => {
    const deploy = actions('teamsapp.yml', 'deploy');
    const npmArgs = deploy.filter((a) => a.uses === 'cli/runNpmCommand').map((a) => String(a.with?.args));
    expect(npmArgs[0]).toMatch(/^ci\b/);
    expect(npmArgs).toContain('run build');
    const zip = deploy.find((a) => a.uses === 'azureAppService/zipDeploy');
    expect(zip).toBeDefined();
    expect(deploy.indexOf(zip!)).toBe(deploy.length - 1);
    expect(zip!.with!.resourceId).toBe('${{BOT_AZURE_APP_SERVICE_RESOURCE_ID}}');
    const ignoreFile = String(zip!.with!.ignoreFile);
    const ignored = read(ignoreFile)
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['test/', 'infra/', 'env/', '.localConfigs', '.env.*'])
      expect(ignored, entry).toContain(entry);
    for (const kept of ['dist/', 'node_modules/', 'src/', 'data/', 'package.json'])
      expect(ignored, kept).not.toContain(kept);
  });

  it('teamsapp.yml publishes the validated package to the organisation catalog', () => {
    const publish = uses('teamsapp.yml', 'publish');
    expect(publish).toContain('teamsApp/zipAppPackage');
    expect(publish[publish.length - 1]).toBe('teamsApp/publishAppPackage');
  });

  it('teamsapp.local.yml registers a bot with a secret and points it at the tunnel', () => {
    const provision = actions('teamsapp.local.yml', 'provision');
    const aad = provision.find((a) => a.uses === 'botAadApp/create' || a.uses === 'aadApp/create');
    expect(Object.values(aad!.writeToEnvironmentFile!)).toEqual(
      expect.arrayContaining(['BOT_ID', 'SECRET_BOT_PASSWORD']),
    );
    const framework = provision.find((a) => a.uses === 'botFramework/create')!;
    expect(framework.with!.botId).toBe('${{BOT_ID}}');
    expect(framework.with!.messagingEndpoint).toBe('${{BOT_ENDPOINT}}/api/messages');
    expect(provision.indexOf(aad!)).toBeLessThan(provision.indexOf(framework));
    const config = actions('teamsapp.local.yml', 'deploy').find(
      (a) => a.uses === 'file/createOrUpdateEnvironmentFile',
    )!;
    expect(config.with!.target).toBe('./.localConfigs');
    const envs = config.with!.envs as Record<string, unknown>;
    expect(envs.BOT_ID).toBe('${{BOT_ID}}');
    expect(envs.BOT_PASSWORD).toBe('${{SECRET_BOT_PASSWORD}}');
  });

  it('teamsapp.testtool.yml runs the bot for the Agents Playground without a bot registration', () => {
    expect(doc('teamsapp.testtool.yml').provision ?? []).toEqual([]);
    const config = actions('teamsapp.testtool.yml', 'deploy').find(
      (a) => a.uses === 'file/createOrUpdateEnvironmentFile',
    )!;
    expect(config.with!.target).toBe('./.localConfigs.playground');
    const envs = config.with!.envs as Record<string, unknown>;
    expect(envs.PORT).toBe(3978);
    expect(Object.keys(envs)).not.toContain('BOT_ID');
    expect(Object.keys(envs)).not.toContain('BOT_PASSWORD');
  });

  it.each(Object.keys(PROJECT_FILES) as ProjectFile[])(
    '%s reads only variables defined earlier or in its env file',
    (file) => {
      const { violations } = checkVariableFlow(doc(file), contextFor(file));
      expect(violations).toEqual([]);
    },
  );

  it('teamsapp.yml gets BOT_ID, BOT_DOMAIN and the App Service id from the Bicep outputs', () => {
    // Drop what env/.env.dev only declares as placeholders for provision to fill in.
    const filledByProvision = ['TEAMS_APP_ID', 'BOT_ID', 'BOT_DOMAIN', 'BOT_AZURE_APP_SERVICE_RESOURCE_ID'];
    const ctx = contextFor('teamsapp.yml');
    const withoutEnvValues: FlowContext = {
      ...ctx,
      envFileVars: new Set([...ctx.envFileVars].filter((v) => !filledByProvision.includes(v))),
    };
    const { violations, defined } = checkVariableFlow(doc('teamsapp.yml'), withoutEnvValues);
    expect(violations).toEqual([]);
    for (const variable of [
      'TEAMS_APP_ID',
      'BOT_ID',
      'BOT_DOMAIN',
      'BOT_AZURE_APP_SERVICE_RESOURCE_ID',
      'TEAMS_APP_TENANT_ID',
    ]) {
      expect(defined, variable).toContain(variable);
    }
  });

  it('flags a variable read before it is written, or never written', () => {
    const bad: LifecycleDoc = {
      provision: [
        { uses: 'botFramework/create', with: { botId: '${{BOT_ID}}' } },
        { uses: 'botAadApp/create', with: { name: 'x' }, writeToEnvironmentFile: { botId: 'BOT_ID' } },
      ],
      deploy: [{ uses: 'azureAppService/zipDeploy', with: { resourceId: '${{NOWHERE}}' } }],
    };
    const { violations } = checkVariableFlow(bad, {
      envFileVars: new Set(),
      templateOutputs: () => [],
      readFile: () => '',
    });
    expect(violations).toEqual([
      'provision[0] botFramework/create reads ${{BOT_ID}} before anything defines it',
      'deploy[0] azureAppService/zipDeploy reads ${{NOWHERE}} before anything defines it',
    ]);
  });
});

describe('environment files', () => {
  it.each(['dev', 'local', 'testtool'])('env/.env.%s commits no secret', (env) => {
    const keys = envFileKeys(read(`env/.env.${env}`));
    expect(keys.get('TEAMSFX_ENV')).toBe(env);
    for (const [key, value] of keys) {
      if (/^SECRET_|PASSWORD|_KEY$|SECRET/.test(key)) expect(value, key).toBe('');
    }
  });

  it('git ignores the .user secret files and the generated local configs and packages', () => {
    for (const path of [
      'env/.env.dev.user',
      'env/.env.local.user',
      'env/.env.testtool.user',
      '.localConfigs',
      '.localConfigs.playground',
      'appPackage/build/appPackage.dev.zip',
      'devTools/playground',
    ]) {
      expect(isGitIgnored(path), path).toBe(true);
    }
    expect(isGitIgnored('env/.env.dev')).toBe(false);
  });
});
