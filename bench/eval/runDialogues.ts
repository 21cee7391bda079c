import { resolve } from 'node:path';
import { knowledgeSources } from './answerEval';
import { loadDialogues, runDialogue } from './dialogues';
import { startServerSession } from './serverSession';

/**
 * Runs only the scripted dialogues (optionally one category, or one language: en or zh-CN) against a
 * fresh bot, without the rest of `npm run eval`: `npx tsx bench/eval/runDialogues.ts [category|language]`.
 * Prints each failure.
 */
async function main() {
  const category = process.argv[2];
  const dialogues = loadDialogues(resolve('data/eval/dialogues.json')).filter(
    (d) => !category || d.category === category || (d.language ?? 'en') === category,
  );
  const sources = await knowledgeSources();
  const session = await startServerSession();
  let passed = 0;
  try {
    for (const d of dialogues) {
      const r = await runDialogue(d, {
        botUrl: session.botUrl,
        connector: session.connector,
        tickets: session.tickets,
        orders: session.orders,
        returns: session.returns,
        sources,
      });
      if (r.success) passed++;
      console.log(
        `${r.success ? 'ok  ' : 'FAIL'} ${r.id}${r.success ? '' : `\n  ${r.failures.join('\n  ')}`}`,
      );
      if (!r.success)
        for (const t of r.turns) console.log(`    > ${t.said}\n    < ${t.reply.replace(/\n/g, ' | ')}`);
    }
    console.log(`${passed}/${dialogues.length} dialogues succeeded`);
    process.exitCode = passed === dialogues.length ? 0 : 1;
  } finally {
    await session.stop();
  }
}

void main();
