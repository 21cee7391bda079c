import { HAN, stem, tokenizeWords } from '../text/words';

/**
 * Whether a message reports something that does not work ("my laptop screen is flickering",
 * "the printer keeps jamming", 打印机坏了) rather than asking about a policy: when the documents
 * have no answer for it, a support ticket is the useful next step.
 */
const PROBLEM_EN =
  /\b(?:(?:stopped|quit|stops) (?:working|charging|responding|connecting|printing|turning on)|no longer (?:works|working|turns on|charges|connects)|faulty|defective|malfunction(?:s|ing|ed)?|not (?:working|turning on|booting|charging|connecting|loading|printing|starting)|(?:doesn'?t|does not|won'?t|will not|can'?t|cannot|isn'?t|is not) (?:work|turn on|boot|charge|connect|load|print|start|open|sync)|broken|broke|crash(?:es|ed|ing)?|freez(?:es|ing)|frozen|flicker(?:s|ing)?|stuck|jamm?(?:ed|ing|s)?|(?:is|are|was|went|goes|keeps going) (?:down|offline)|outage|dead|died|dies|gave (?:up|out)|conked out|packed up|busted|error(?:s)?|fail(?:s|ed|ing)?|keeps? (?:crashing|restarting|freezing|disconnecting|dropping)|no sound|overheat(?:s|ing)?|cracked|leak(?:s|ing)?)\b/i;
// The Chinese words for what PROBLEM_EN names: no sound, won't charge, blue screen, crashes, slow …
const PROBLEM_ZH =
  /坏了|坏掉|故障|无法|不能用|用不了|不好使|不管用|失灵|打不开|连不上|登不上|开不了机|开不开机|死机|报错|出错|卡住|卡死|卡顿|[很好太]卡|没反应|闪屏|蓝屏|黑屏|花屏|闪退|崩溃|没(?:有)?声音|不响|不亮|充不进电|充不上电|不充电|掉线|断网|异响|杂音|漏水|过热|发烫|裂了|碎了|出毛病|有毛病|出问题了/;

/** "package arrived damaged", "the box came wet and torn": it did arrive, in a bad state. */
const ARRIVED_DAMAGED =
  /\b(?:arrived|arrives|came|was delivered|got here|showed up)\s+(?:[\w']+\s+){0,3}?(?:damaged|broken|crushed|dented|smashed|torn|wet|soaked|cracked|ripped|opened|squashed)\b/i;

export function arrivedDamaged(text: string): boolean {
  return (
    ARRIVED_DAMAGED.test(text) ||
    /(?:到|收到|送到)(?:的时候|时)?.{0,6}(?:坏了|破了|压坏|碎了|湿了|破损)/.test(text)
  );
}

/**
 * Something that went wrong with an order or a payment rather than a device ("I was charged twice",
 * "I got the wrong colour", "my discount code didn't work", 扣了两次钱, 发错货了): no document fixes
 * it, so unless an answer speaks of it, a person should look at it (the offer of a ticket).
 */
const MISHAP_EN =
  /\b(?:(?:charged|billed)(?: me)? (?:twice|double|two times|too much|the wrong amount|again)|double[- ]?(?:charged|billed)|overcharged|(?:wrong|incorrect) (?:item|colou?r|size|product|model|address|amount|order|one|thing)|(?:got|received|sent me|delivered|shipped) (?:me )?(?:the |a )?wrong|left (?:it )?at the wrong|(?:discount|promo|coupon|voucher|gift card) (?:code )?(?:didn'?t|doesn'?t|won'?t|did not|does not|will not|is not|isn'?t|was not|wasn'?t) (?:work|apply|applied|accepted|go through)|missing (?:items?|parts?|pieces?))\b/i;
const MISHAP_ZH =
  /扣了两次|扣款两次|重复扣款|多扣|扣错|发错|寄错|送错|颜色不对|尺码不对|型号不对|少发|漏发|优惠码(?:用不了|无效|不能用)/;

/** The words of a mishap report ("charged twice", "wrong colour"), or undefined when it reports none. */
export function mishapIn(text: string): string | undefined {
  return ARRIVED_DAMAGED.exec(text)?.[0] ?? MISHAP_EN.exec(text)?.[0] ?? MISHAP_ZH.exec(text)?.[0];
}

/** Words of a mishap that say nothing of it alone ("got the wrong …", "… didn't work"). */
const MISHAP_FILLER = new Set(
  'got received sent me delivered shipped the a it at left item items order one thing code did didn didnt not does doesn won will is isn was wasn work apply applied accepted go through'
    .split(' ')
    .map(stem),
);

/** Whether an answer speaks of the mishap reported (one of its telling words, or its Chinese words). */
export function answerSpeaksOfMishap(mishap: string, answer: string): boolean {
  // "came crushed": a rule for items that arrive damaged speaks of it in its own words.
  if (ARRIVED_DAMAGED.test(mishap) && /\b(?:damaged|broken|faulty|defective)\b/i.test(answer)) return true;
  if (HAN.test(mishap)) {
    const pairs = [...mishap].slice(0, -1).map((c, i) => c + mishap[i + 1]);
    return pairs.some((pair) => answer.includes(pair));
  }
  const said = new Set(tokenizeWords(answer.toLowerCase()).map(stem));
  return tokenizeWords(mishap.toLowerCase())
    .map(stem)
    .filter((w) => !MISHAP_FILLER.has(w))
    .some((w) => said.has(w));
}

export function describesProblem(text: string): boolean {
  return PROBLEM_EN.test(text) || PROBLEM_ZH.test(text) || mishapIn(text) !== undefined;
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

/**
 * A detail about the problem just drafted as a ticket, given while its card waits for Confirm ("it
 * shows a blue screen since the update", "also the fan is really loud", 开机后一直蓝屏): it says more
 * about the problem (what it shows, since when, what else fails) rather than asking a question or
 * making a new request ("the left ear cup is dead", "my screen keeps flickering"). A message asking for
 * a ticket again, or naming an order or ticket, is a new request, not a detail.
 */
const DETAIL_EN =
  /^(?:(?:oh|and|also|plus|btw|by the way|ps|p\.s\.)[,:]?\s+)*(?:it(?:'s|s| is| was| keeps| makes| made| sounds| smells| gets| goes| turns| stops| stopped| broke| crashes| crashed| freezes| froze| won't| wont| shows| says| started| happens| only| also| just| still| won'?t| doesn'?t| does not| did| has| had| gives| displays)|the (?:error|screen|message|code|problem|issue|fan|light|display)\b|(?:this|that) (?:started|happens|happened|began)|(?:since|after|when|every time|whenever|ever since) (?:the|i|it|my|yesterday|today|this|last)\b|(?:i (?:get|got|see|saw|tried|already tried|restarted|rebooted))|(?:the|my) (?:\w+ ){0,3}?\w+ (?:is|are|was|were|keeps|makes|made|won'?t|doesn'?t|does not|don'?t|do not|stopped|started|has|have|broke|cracked|came off|fell off)\b)\b/i;
const DETAIL_ZH =
  /^(?:而且|还有|另外|补充一下|对了)?[，,]?\s*(?:它|屏幕|电脑|一直|开机|显示|出现|提示|报错|自从|更新后|升级后|每次|从.{1,8}开始|我(?:试过|已经|重启))/;

const NOTHING_WRONG =
  /^(?:oh,?\s+)?it(?:'s|s| is)\s+(?:fine|ok|okay|alright|all right|nothing|good|solved|fixed|sorted|working(?: again| now)?)\b/i;

export function addsTicketDetail(text: string): boolean {
  const t = text.trim();
  // A Chinese sentence says in 4 characters what an English one says in 8.
  const shortest = /\p{Script=Han}/u.test(t) ? 4 : 8;
  if (t.length < shortest || t.length > 2000 || asksForTicket(t)) return false;
  if (/[?？]\s*$/.test(t) || /[吗么呢][\s。]*$/.test(t)) return false;
  // "my order ORD-10421 is late" is a request about that order, not a detail of the draft.
  if (/\b(?:ORD|TKT|RMA)-?\d/i.test(t)) return false;
  // "it's fine, never mind", "it's working again": the problem is gone, nothing to add.
  if (NOTHING_WRONG.test(t) || declinesOffer(t)) return false;
  return DETAIL_EN.test(t) || DETAIL_ZH.test(t);
}
