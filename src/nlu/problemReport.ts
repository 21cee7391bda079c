/**
 * Whether a message reports something that does not work ("my laptop screen is flickering",
 * "the printer keeps jamming", 打印机坏了) rather than asking about a policy: when the documents
 * have no answer for it, a support ticket is the useful next step.
 */
const PROBLEM_EN =
  /\b(?:(?:stopped|quit|stops) (?:working|charging|responding|connecting|printing|turning on)|no longer (?:works|working|turns on|charges|connects)|faulty|defective|malfunction(?:s|ing|ed)?|not (?:working|turning on|booting|charging|connecting|loading|printing|starting)|(?:doesn'?t|does not|won'?t|will not|can'?t|cannot|isn'?t|is not) (?:work|turn on|boot|charge|connect|load|print|start|open|sync)|broken|broke|crash(?:es|ed|ing)?|freez(?:es|ing)|frozen|flicker(?:s|ing)?|stuck|jamm?(?:ed|ing|s)?|dead|error(?:s)?|fail(?:s|ed|ing)?|keeps? (?:crashing|restarting|freezing|disconnecting|dropping)|no sound|overheat(?:s|ing)?|cracked|leak(?:s|ing)?)\b/i;
const PROBLEM_ZH = /坏了|故障|无法|不能用|用不了|打不开|连不上|开不了机|死机|报错|出错|卡住|没反应|闪屏/;

export function describesProblem(text: string): boolean {
  return PROBLEM_EN.test(text) || PROBLEM_ZH.test(text);
}

/** A ticket asked for in so many words ("open a ticket", "raise a case", 帮我开个工单, 我要报修). */
const TICKET_REQUEST_EN =
  /\b(?:tickets?|case|incident|support request|help ?desk|service desk|report (?:it|this|that))\b/i;
const TICKET_REQUEST_ZH = /工单|报修|问题单|提交|开[个张一]?单|建[个张一]?单|支持请求|登记/;

export function asksForTicket(text: string): boolean {
  return TICKET_REQUEST_EN.test(text) || TICKET_REQUEST_ZH.test(text);
}

/**
 * A problem reported without asking for a ticket ("my laptop keeps crashing", 打印机坏了): the
 * documents are tried first and, when they have no fix, a ticket is offered, in either language;
 * "yes" / 好的 drafts it.
 */
export function reportsProblemOnly(text: string): boolean {
  return describesProblem(text) && !asksForTicket(text);
}

const DECLINE_EN =
  /^(?:no|nope|nah|no,? thanks?(?: you)?|no need|not now|not (?:right )?now|don'?t|do not|no ticket|that'?s (?:ok|okay|fine)|never ?mind)(?:[\s,.!]+(?:thanks?(?: you)?|please|it'?s fine|i'?m (?:ok|fine)|not needed))*[\s.!]*$/i;
const DECLINE_ZH =
  /^(?:不用了?|不要了?|不必了?|不需要了?|算了|先不用|暂时不用|不了)(?:[，,]?\s*谢谢(?:了|你|您)?)?[。!！\s]*$/;

/** "no thanks", "not now", 不用了: declining an offer (the ticket for a reported problem). */
export function declinesOffer(text: string): boolean {
  const t = text.trim();
  return DECLINE_EN.test(t) || DECLINE_ZH.test(t);
}
