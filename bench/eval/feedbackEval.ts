/**
 * What users said about the bot's answers: the thumbs up/down (and optional text) stored with the
 * transcript (see src/teams/feedbackRoute.ts), read from a transcript store and summarised for the
 * eval report: counts, and the worst-rated answers with their question, answer, sources and model path.
 *
 *   npm run eval -- --feedback .data/cosmos     the embedded store of `npm run dev` (stop the bot first)
 *   npm run eval -- --feedback cosmos           the Cosmos account in COSMOS_ENDPOINT / COSMOS_KEY / …
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../../src/config';
import { createCosmosStores, type FeedbackRecord } from '../../src/storage';

export interface RatedAnswer {
  replyActivityId: string;
  likes: number;
  dislikes: number;
  /** likes − dislikes: the lowest first in `worst`. */
  score: number;
  question?: string;
  answer?: string;
  sources: string[];
  modelPath?: string;
  /** The members' texts, newest last. */
  comments: string[];
  lastAt: string;
}

export interface FeedbackSummary {
  /** Where the reactions were read from (a data directory or "cosmos"). */
  source: string;
  reactions: number;
  likes: number;
  dislikes: number;
  withText: number;
  answersRated: number;
  members: number;
  byModelPath: Record<string, { likes: number; dislikes: number }>;
  /** Answers with at least one dislike, worst first (lowest score, then most dislikes, then newest). */
  worst: RatedAnswer[];
}

/** Pure: turns stored reactions (one per member and answer) into the report's numbers. */
export function summarizeFeedback(
  records: readonly FeedbackRecord[],
  source: string,
  top = 10,
): FeedbackSummary {
  const answers = new Map<string, RatedAnswer>();
  const members = new Set<string>();
  const byModelPath: FeedbackSummary['byModelPath'] = {};
  let likes = 0;
  let withText = 0;
  for (const { feedback: entry, turn } of records) {
    const f = entry.feedback;
    const key = `${entry.conversationId}\u0000${f.replyActivityId}`;
    const reply = turn?.entries.find(
      (e) => e.kind === 'bot_reply' && e.replyActivityId === f.replyActivityId,
    );
    let rated = answers.get(key);
    if (!rated) {
      rated = {
        replyActivityId: f.replyActivityId,
        likes: 0,
        dislikes: 0,
        score: 0,
        question: turn?.entries.find((e) => e.kind === 'user_message')?.text,
        answer: reply?.text,
        sources: [
          ...new Set(
            (turn?.entries ?? [])
              .filter((e) => e.kind === 'citation')
              .flatMap((e) => e.citations ?? [])
              .map((c) => c.title ?? c.url ?? c.source ?? '')
              .filter(Boolean),
          ),
        ],
        modelPath: reply?.modelPath,
        comments: [],
        lastAt: entry.timestamp,
      };
      answers.set(key, rated);
    }
    if (f.reaction === 'like') rated.likes++;
    else rated.dislikes++;
    rated.score = rated.likes - rated.dislikes;
    if (f.text) {
      rated.comments.push(f.text);
      withText++;
    }
    if (entry.timestamp > rated.lastAt) rated.lastAt = entry.timestamp;
    if (f.reaction === 'like') likes++;
    if (entry.userAadObjectId) members.add(entry.userAadObjectId);
    const path = (byModelPath[rated.modelPath ?? 'unknown'] ??= { likes: 0, dislikes: 0 });
    if (f.reaction === 'like') path.likes++;
    else path.dislikes++;
  }
  const worst = [...answers.values()]
    .filter((a) => a.dislikes > 0)
    .sort((a, b) => a.score - b.score || b.dislikes - a.dislikes || b.lastAt.localeCompare(a.lastAt))
    .slice(0, top);
  return {
    source,
    reactions: records.length,
    likes,
    dislikes: records.length - likes,
    withText,
    answersRated: answers.size,
    members: members.size,
    byModelPath,
    worst,
  };
}

/**
 * Reads every stored reaction: `source` is an embedded data directory (EMBEDDED_DATA_DIR of a
 * stopped bot) or "cosmos" (the account the COSMOS_* variables name, as the bot reads them).
 */
export async function loadFeedback(source: string): Promise<FeedbackRecord[]> {
  if (source !== 'cosmos' && !existsSync(source))
    throw new Error(`--feedback ${source}: no such data directory (or pass "cosmos")`);
  const cosmos = source === 'cosmos' ? loadConfig(process.env).cosmos : undefined;
  const stores = await createCosmosStores(
    cosmos
      ? {
          endpoint: cosmos.endpoint,
          key: cosmos.key,
          database: cosmos.database,
          allowSelfSignedCert: cosmos.allowSelfSignedCert,
          createIfMissing: false,
        }
      : { embeddedDataDir: source, embeddedTls: false },
  );
  try {
    return await stores.transcripts.listFeedback();
  } finally {
    await stores.close();
  }
}

/** The report's "User feedback" section (Markdown). */
export function feedbackMarkdown(summary: FeedbackSummary | undefined): string[] {
  const out = ['## User feedback (thumbs up/down on AI answers)', ''];
  if (!summary) {
    out.push(
      'Not read: pass `--feedback <EMBEDDED_DATA_DIR>` (e.g. `.data/cosmos` of a stopped `npm run dev`) or `--feedback cosmos`.',
      '',
    );
    return out;
  }
  const share = summary.reactions ? `${((summary.likes / summary.reactions) * 100).toFixed(1)} %` : '–';
  out.push(
    `From ${summary.source}: ${summary.reactions} reactions (${summary.likes} 👍, ${summary.dislikes} 👎, ${share} positive, ${summary.withText} with text) on ${summary.answersRated} answers by ${summary.members} members.`,
    '',
  );
  const paths = Object.entries(summary.byModelPath);
  if (paths.length)
    out.push(
      table(
        ['model path', 'likes', 'dislikes'],
        paths.map(([p, c]) => [p, c.likes, c.dislikes]),
      ),
      '',
    );
  if (summary.worst.length) {
    out.push('Worst-rated answers:', '');
    out.push(
      table(
        ['score', '👍', '👎', 'path', 'question', 'answer', 'sources', 'comments'],
        summary.worst.map((a) => [
          a.score,
          a.likes,
          a.dislikes,
          a.modelPath ?? '–',
          cell(a.question, 80),
          cell(a.answer, 120),
          cell(a.sources.join('; '), 80),
          cell(a.comments.join(' / '), 120),
        ]),
      ),
      '',
    );
  } else out.push('No answer has a 👎.', '');
  return out;
}

function cell(text: string | undefined, max: number): string {
  if (!text) return '–';
  const flat = text.replace(/\s+/g, ' ').trim();
  return (flat.length > max ? `${flat.slice(0, max - 1)}…` : flat).replace(/\|/g, '\\|');
}

function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}
