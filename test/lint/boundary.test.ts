import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The Teams boundary (eslint.config.mjs) checked through ESLint's own Node API with the project's
// config: each source text is linted as if it were a file in the given folder of src/.
const ROOT = join(__dirname, '..', '..');
const RULE = '@typescript-eslint/no-restricted-imports';
const CORE = [
  'actions',
  'orders',
  'tickets',
  'returns',
  'knowledge',
  'nlu',
  'memory',
  'notifications',
  'text',
  'encoder',
  'security',
  'observability',
];
const eslint = new ESLint({ cwd: ROOT });

async function boundaryMessages(folder: string, code: string): Promise<string[]> {
  const filePath = join(ROOT, 'src', folder, 'boundaryProbe.ts');
  const [result] = await eslint.lintText(code, { filePath });
  expect(result.fatalErrorCount, result.messages.map((m) => m.message).join('\n')).toBe(0);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('the core may not import Teams', () => {
  it.each(CORE)('src/%s importing src/teams is reported', async (folder) => {
    const code = "import { CARD_VERBS } from '../teams/cards/cardVerbs';\nexport const verbs = CARD_VERBS;\n";
    const messages = await boundaryMessages(folder, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/teams');
  });

  it.each([
    ["import type { TurnContext } from 'botbuilder';", 'Bot Framework'],
    ["import { CardFactory } from 'botbuilder-core';", 'Bot Framework'],
    ["import { ConnectorClient } from 'botframework-connector';", 'Bot Framework'],
    ["import type { Memory } from '@microsoft/teams-ai';", 'teams-ai'],
    ["import type { PromptResponse } from '@microsoft/teams-ai/lib/types';", 'teams-ai'],
    ["import { AdaptiveCard } from 'adaptivecards';", 'Adaptive Card'],
    ["export { CARD_VERBS } from '../../teams/cards';", 'src/teams'],
  ])('%s is reported', async (line, expected) => {
    const messages = await boundaryMessages('tickets', `${line}\nexport const probe = 1;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(expected);
  });

  it('a core file importing only core modules and libraries passes', async () => {
    const code = [
      "import { z } from 'zod';",
      "import { AppError } from '../errors';",
      "import { isoDay } from '../text/dates';",
      'export const probe = [z, AppError, isoDay];',
      '',
    ].join('\n');
    const filePath = join(ROOT, 'src', 'orders', 'boundaryProbe.ts');
    const [result] = await eslint.lintText(code, { filePath });
    expect(result.messages).toEqual([]);
  });

  it('src/teams and src/planner may import the SDKs', async () => {
    const code = "import type { TurnContext } from 'botbuilder';\nexport type Probe = TurnContext;\n";
    expect(await boundaryMessages('teams', code)).toEqual([]);
    expect(await boundaryMessages('planner', code)).toEqual([]);
  });
});
