import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderActionsJson } from './toolDefinitions';
import { projectRoot } from '../projectRoot';

/** `npm run actions:generate`: rewrites the prompt folder's tool definitions from the zod schemas. */
const ACTIONS_JSON_PATH = path.resolve(projectRoot(), 'src', 'prompts', 'chat', 'actions.json');

async function main(): Promise<void> {
  // Dev-time only: format like the rest of the repo so `prettier --check` stays clean.
  const prettier = await import('prettier');
  const config = (await prettier.resolveConfig(ACTIONS_JSON_PATH)) ?? {};
  writeFileSync(ACTIONS_JSON_PATH, await prettier.format(renderActionsJson(), { ...config, parser: 'json' }));
  console.log(`wrote ${path.relative(process.cwd(), ACTIONS_JSON_PATH)}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
