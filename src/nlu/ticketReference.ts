/**
 * A ticket named by its place in what the bot just showed: "I'll take the first one", "assign the
 * second ticket to me", "what's the latest on that ticket?", 第一个我来处理. `shown` is the ids of
 * the last ticket list or card in this conversation (newest first, as the list shows them), `list`
 * the list a card was opened from (src/actions/ticketsShown.ts). Returns
 * the id meant, or undefined when the words name no place or the place is not in the list.
 */
const ORDINALS: [RegExp, (n: number) => number][] = [
  [/\b(?:first|1st|top)\b|第一(?:个|条|张)?/i, () => 0],
  [/\b(?:second|2nd)\b|第二(?:个|条|张)?/i, () => 1],
  [/\b(?:third|3rd)\b|第三(?:个|条|张)?/i, () => 2],
  [/\b(?:fourth|4th)\b|第四(?:个|条|张)?/i, () => 3],
  [/\b(?:fifth|5th)\b|第五(?:个|条|张)?/i, () => 4],
  [/\b(?:last|bottom)\b|最后(?:一)?(?:个|条|张)/i, (n) => n - 1],
  // Lists are shown newest first.
  [/\b(?:newest|most recent)\b|最新(?:的)?(?:个|条|张)?/i, () => 0],
  [/\b(?:oldest|earliest)\b|最早(?:的)?(?:个|条|张)?/i, (n) => n - 1],
];

/** "the first one", "the 2nd ticket", "top one": an ordinal in front of one / ticket / case / order. */
const PLACE =
  /\b(?:first|1st|top|second|2nd|third|3rd|fourth|4th|fifth|5th|last|bottom|newest|most recent|oldest|earliest)\s+(?:one|ticket|case|request|order|purchase)\b|第[一二三四五]|最后(?:一)?(?:个|条|张|单)|最(?:新|早)的(?:那)?(?:个|条|张|单)/i;
/** "that ticket", "this one", "it": the one ticket shown. */
const THAT_ONE = /\b(?:that|this|the)\s+(?:ticket|case|one)\b|\b(?:it|that|this)\b|这个|那个|这张|那张|它/i;

export function ticketFromShown(
  text: string,
  shown: readonly string[],
  /** The last list shown, when a card of one of its tickets followed it: places count in the list. */
  list: readonly string[] = shown,
): string | undefined {
  if (namesPlace(text)) return placeInShown(text, list.length ? list : shown);
  return shown.length === 1 && THAT_ONE.test(text) ? shown[0] : undefined;
}

/** "the first one", "the 2nd ticket", 第二个: the words name a place in a list. */
export function namesPlace(text: string): boolean {
  return PLACE.test(text);
}

/**
 * The id at the place the text names in a list just shown ("the first one", "the second order",
 * 第二个, "the last one"), in the order it was shown; undefined when it names no place or one
 * beyond the list. Also how an order is picked from "Which order do you mean? …".
 */
export function placeInShown(text: string, shown: readonly string[]): string | undefined {
  if (!shown.length || !PLACE.test(text)) return undefined;
  const place = ORDINALS.find(([re]) => re.test(text))?.[1](shown.length);
  return place !== undefined && place >= 0 && place < shown.length ? shown[place] : undefined;
}
