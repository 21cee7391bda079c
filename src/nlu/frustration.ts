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
  // Chinese: "太没用了", "真垃圾", "气死我了", "浪费我时间", "答非所问" ("没用过" is not venting).
  /(?:太|真|好|根本|完全|一点都)没用(?!过)|没用(?:了|的东西|死了)|毫无用处|一点用(?:都|也)没有|(?:太|真)(?:差|烂)劲?了|(?:真|太|就是|简直)(?:垃圾|废物)|气死|烦死|受不了|浪费(?:我的?)?时间|答非所问|(?:听|看)不懂人话|什么都不懂|什么都不会|不帮忙|(?:我|真的?)(?:很|太|非常)?(?:生气|恼火|愤怒|无语)/,
];

export function soundsFrustrated(text: string): boolean {
  const t = text.replace(/[’‘]/g, "'");
  return PATTERNS.some((p) => p.test(t));
}
