/**
 * Does a message sound frustrated or angry with the bot? A small lexicon rather than a trained
 * intent: it must work on both model paths, it only ever triggers an *offer* to talk to a person
 * (never a ticket), and a missed phrase costs little while a wrong intent would derail a task.
 */
const PATTERNS: RegExp[] = [
  /\b(?:this|that|you|it)(?:'re| are| is|'s)?\s+(?:so\s+|totally\s+|completely\s+|really\s+)?(?:useless|pointless|hopeless|rubbish|garbage|terrible|awful|stupid|a joke)\b/i,
  /\b(?:useless|pointless|hopeless)\b/i,
  /\bi(?:'m| am)\s+(?:so\s+|really\s+|getting\s+)?(?:angry|furious|annoyed|frustrated|fed up|pissed(?: off)?|mad)\b/i,
  /\b(?:you(?:'re| are)\s+not|you\s+aren't|this\s+(?:is\s+not|isn't))\s+(?:helping|helpful|working)\b/i,
  /\b(?:doesn't|does not|didn't|did not)\s+help(?:\s+at\s+all)?\b/i,
  /\bwaste\s+of\s+(?:my\s+)?time\b/i,
  /\b(?:fed up|sick and tired|ridiculous)\b/i,
  /\b(?:wtf|ffs|damn(?:\s+it)?|dammit|crap|shit\w*|fuck\w*|bloody\s+hell)\b/i,
];

export function soundsFrustrated(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'");
  return PATTERNS.some((p) => p.test(t));
}
