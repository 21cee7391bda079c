import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderActionsJson } from './toolDefinitions';

/** `npm run actions:generate`: rewrites the prompt folder's tool definitions from the zod schemas. */
export const ACTIONS_JSON_PATH = path.resolve(__dirname, '../prompts/chat/actions.json');

if (require.main === module) {
  writeFileSync(ACTIONS_JSON_PATH, renderActionsJson());
  console.log(`wrote ${path.relative(process.cwd(), ACTIONS_JSON_PATH)}`);
}
