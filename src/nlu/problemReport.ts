/**
 * Whether a message reports something that does not work ("my laptop screen is flickering",
 * "the printer keeps jamming", 打印机坏了) rather than asking about a policy: when the documents
 * have no answer for it, a support ticket is the useful next step.
 */
const PROBLEM_EN =
  /\b(?:not (?:working|turning on|booting|charging|connecting|loading|printing|starting)|(?:doesn'?t|does not|won'?t|will not|can'?t|cannot|isn'?t|is not) (?:work|turn on|boot|charge|connect|load|print|start|open|sync)|broken|broke|crash(?:es|ed|ing)?|freez(?:es|ing)|frozen|flicker(?:s|ing)?|stuck|jamm?(?:ed|ing|s)?|dead|error(?:s)?|fail(?:s|ed|ing)?|keeps? (?:crashing|restarting|freezing|disconnecting|dropping)|no sound|overheat(?:s|ing)?|cracked|leak(?:s|ing)?)\b/i;
const PROBLEM_ZH = /坏了|故障|无法|不能用|用不了|打不开|连不上|开不了机|死机|报错|出错|卡住|没反应|闪屏/;

export function describesProblem(text: string): boolean {
  return PROBLEM_EN.test(text) || PROBLEM_ZH.test(text);
}
