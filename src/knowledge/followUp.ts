/**
 * Follow-up questions ("and on Sundays?", "what if I lost my authenticator too?") lean on the question
 * before them: alone they name only what changes. Within FOLLOW_UP_WINDOW_MS of an answered question,
 * a message worded as a follow-up is searched and answered with that question as context (its concepts
 * weigh half, see answerExtractively's `previousQuestion`).
 */

/** How long an answered question stays the context of a follow-up. */
export const FOLLOW_UP_WINDOW_MS = 10 * 60 * 1000;

const FOLLOW_UP_START =
  /^(?:and|but|also|plus|so|ok(?:ay)?,?\s+and)\b|^(?:what|how) about\b|^what if\b|^same (?:for|with)\b|^(?:is|does) that (?:also|apply|include)\b/i;
const FOLLOW_UP_END = /\b(?:too|as well|also|either|then)\s*[?？.!]*$/i;
const MAX_WORDS = 12;

/** Whether `text` is worded as a follow-up of the previous question (short, "and …", "… too?"). */
export function isFollowUp(text: string): boolean {
  const t = typeof text === 'string' ? text.trim() : '';
  if (!t || t.split(/\s+/).length > MAX_WORDS) return false;
  return FOLLOW_UP_START.test(t) || FOLLOW_UP_END.test(t);
}
