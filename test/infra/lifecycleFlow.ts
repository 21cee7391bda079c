/**
 * Follows the environment variables through a Teams Toolkit project file (teamsapp*.yml): every
 * ${{VAR}} an action reads must already be defined, by the environment file (env/.env.<env>) or by
 * an earlier action. Actions define variables through `writeToEnvironmentFile`, arm/deploy through
 * its template outputs (upper-cased, as the Toolkit's arm driver does), and teamsApp/update through
 * its built-in TEAMS_APP_TENANT_ID output. Files an action reads (ARM parameters, the app manifest)
 * are scanned for placeholders too.
 */

export const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export const STAGES = ['provision', 'deploy', 'publish'] as const;

export interface Action {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

export interface LifecycleDoc {
  version?: string;
  provision?: Action[];
  deploy?: Action[];
  publish?: Action[];
}

export interface FlowContext {
  /** Variables the environment file defines (values may be empty: the Toolkit then prompts or fills them). */
  envFileVars: Set<string>;
  /** Output names of an ARM/Bicep template referenced by arm/deploy (path as written in the yml). */
  templateOutputs(templatePath: string): string[];
  /** Text of a file an action reads (parameters file, manifest), path as written in the yml. */
  readFile(path: string): string;
}

/** Variables each action defines besides writeToEnvironmentFile. */
const BUILT_IN_OUTPUTS: Record<string, string[]> = {
  'teamsApp/update': ['TEAMS_APP_TENANT_ID'],
};

/** Action argument that names a file whose placeholders the action resolves. */
const FILE_ARGUMENTS: Record<string, string[]> = {
  'teamsApp/validateManifest': ['manifestPath'],
  'teamsApp/zipAppPackage': ['manifestPath'],
};

export function placeholdersIn(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(placeholdersIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholdersIn);
  return [];
}

/** Keys of a dotenv file (comments and blank lines ignored). */
export function envFileKeys(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not a KEY=VALUE line: ${raw}`);
    keys.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return keys;
}

export interface FlowResult {
  violations: string[];
  /** Every variable defined by the end of the last stage. */
  defined: Set<string>;
}

export function checkVariableFlow(doc: LifecycleDoc, ctx: FlowContext): FlowResult {
  const defined = new Set(ctx.envFileVars);
  const violations: string[] = [];
  for (const stage of STAGES) {
    (doc[stage] ?? []).forEach((action, index) => {
      const where = `${stage}[${index}] ${action.uses}`;
      const reads = new Set(placeholdersIn(action.with ?? {}));
      for (const argument of FILE_ARGUMENTS[action.uses] ?? []) {
        const path = action.with?.[argument];
        if (typeof path === 'string') placeholdersIn(ctx.readFile(path)).forEach((v) => reads.add(v));
      }
      if (action.uses === 'arm/deploy') {
        const templates = (action.with?.templates ?? []) as Array<{ path: string; parameters?: string }>;
        for (const t of templates) {
          if (t.parameters) placeholdersIn(ctx.readFile(t.parameters)).forEach((v) => reads.add(v));
        }
      }
      for (const variable of reads) {
        if (!defined.has(variable))
          violations.push(`${where} reads \${{${variable}}} before anything defines it`);
      }
      for (const variable of Object.values(action.writeToEnvironmentFile ?? {})) defined.add(variable);
      for (const variable of BUILT_IN_OUTPUTS[action.uses] ?? []) defined.add(variable);
      if (action.uses === 'arm/deploy') {
        const templates = (action.with?.templates ?? []) as Array<{ path: string }>;
        for (const t of templates) ctx.templateOutputs(t.path).forEach((o) => defined.add(o.toUpperCase()));
      }
    });
  }
  return { violations, defined };
}
