import type { Activity, TurnContext } from 'botbuilder';
import { NO_SENSITIVITY_LABELS, type Citation, type SensitivityLabels } from '../knowledge';
import { citeSources, messageSensitivity, toClientCitations } from '../planner/citations';
import { replies } from '../replies';
import { aiMessage } from './aiRoutes';
import { streamTypeOf } from './streaming';

/**
 * Gives streamed replies the same text and entities as whole ones. teams-ai's StreamingResponse
 * sends the accumulated model text as it is; this outgoing-activity hook renumbers its [n]
 * markers to the cited sources (citations.ts) and gives the final message the project's citation
 * entities and the AI-generated label (the same entity the SAY action sends), replacing the
 * library's own label entity (which would carry a second, empty citation list).
 */
export function renderStreamedReplies(
  context: TurnContext,
  offered: () => readonly Citation[],
  labels: SensitivityLabels = NO_SENSITIVITY_LABELS,
): void {
  context.onSendActivities(async (_ctx, activities, next) => {
    for (const activity of activities) {
      const type = streamTypeOf(activity);
      if (type === 'streaming') activity.text = streamingText(activity.text ?? '', offered());
      else if (type === 'final') renderFinal(activity, offered(), labels);
    }
    return next();
  });
}

// An unfinished marker at the end ("… [", "… [1,"): held back until it is complete.
const OPEN_MARKER = /\s*\[[^\]]{0,24}$/;

/**
 * An intermediate update: markers renumbered, an unfinished one and trailing spaces held back.
 * Teams requires every update to begin with the previous one; renumbering by first use keeps a
 * prefix's markers stable, and nothing shown is ever taken back.
 */
export function streamingText(accumulated: string, offered: readonly Citation[]): string {
  return citeSources(accumulated.replace(OPEN_MARKER, ''), offered).text.trimEnd();
}

function renderFinal(
  activity: Partial<Activity>,
  offered: readonly Citation[],
  labels: SensitivityLabels,
): void {
  const { text, cited } = citeSources(activity.text ?? '', offered);
  // A stream must end with content: a card alone is fine, nothing at all gets a sentence.
  const finalText = text.trim() || (activity.attachments?.length ? '' : replies.streamNoAnswer);
  const streamInfo = (activity.entities ?? []).filter((e) => e.type === 'streaminfo');
  activity.text = finalText;
  activity.entities = [
    ...streamInfo,
    ...(aiMessage(finalText, toClientCitations(finalText, cited, labels), messageSensitivity(cited, labels))
      .entities ?? []),
  ];
}
