import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The 80-line limit on functions in src/ (eslint.config.mjs), checked through ESLint's Node API
// with the project's config.
const ROOT = join(__dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

const functionOf = (lines: number) =>
  `export function probe(): number {\n${Array.from({ length: lines - 3 }, (_, i) => `  const v${i} = ${i};`).join('\n')}\n  return 0;\n}\n`;

async function lengthMessages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages.filter((m) => m.ruleId === 'max-lines-per-function').map((m) => m.message);
}

describe('functions in src/ stay within 80 lines', () => {
  it('an 81-line function in src/ is reported, an 80-line one is not', async () => {
    expect(await lengthMessages('src/knowledge/probe.ts', functionOf(81))).toHaveLength(1);
    expect(await lengthMessages('src/teams/probe.ts', functionOf(81))).toHaveLength(1);
    expect(await lengthMessages('src/knowledge/probe.ts', functionOf(80))).toEqual([]);
  });

  it('tests are not held to it', async () => {
    expect(await lengthMessages('test/knowledge/probe.test.ts', functionOf(120))).toEqual([]);
  });
});
