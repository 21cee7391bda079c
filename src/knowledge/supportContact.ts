import { EVERYONE, type KnowledgeHit, type KnowledgeSearch } from './types';

/** How to reach customer service, as the knowledge base states it (never hard-coded in the bot). */
export interface SupportContact {
  phone?: string;
  email?: string;
  /** When phone support is open, in the document's words, e.g. "Monday to Friday from 8 am to 8 pm …". */
  hours?: string;
  /** The document it came from (title and source path), so the reply can name it. */
  sourceTitle: string;
  source: string;
}

/** The search that finds the contact document; only documents for everyone are searched. */
export const SUPPORT_CONTACT_QUERY = 'contact customer service phone support hours email';
const SUPPORT_CONTACT_QUERY_ZH = '联系客服 电话客服 电子邮件';

const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{1,4}\)?[\s.-]?){2,4}\d{3,4}\b/;
const EMAIL = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/;
const DAY = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|daily)\b/i;
const TIME = /\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b/i;

function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z0-9])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Reads phone, email and phone-support hours out of one retrieved document. The hours are the
 * sentence that gives the phone number and days with times (with the number and its label taken
 * out), plus a following "closed on …" sentence when there is one.
 */
/** Chinese sentences end in 。！？ (no space after them). */
function chineseSentences(text: string): string[] {
  return text
    .split(/(?<=[。！？])|\n+/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A Chinese contact text ("电话客服：1-800-555-0142，周一至周五……。周日……不提供服务。"): the number of
 * the sentence that names 电话, the hours that follow it in that sentence, and a next sentence
 * saying when it is closed.
 */
function chineseContact(hit: Pick<KnowledgeHit, 'content' | 'title' | 'source'>): SupportContact | undefined {
  const all = chineseSentences(hit.content);
  const at = all.findIndex((s) => /电话/u.test(s) && PHONE.test(s));
  const phone = at >= 0 ? PHONE.exec(all[at]!)?.[0].trim() : undefined;
  const email = all.map((s) => EMAIL.exec(s)?.[0]).find(Boolean);
  if (!phone && !email) return undefined;
  let hours: string | undefined;
  if (phone) {
    const after = all[at]!.slice(all[at]!.indexOf(phone) + phone.length).replace(/^[，,：:\s]+/u, '');
    if (/周|星期|点|时/u.test(after)) {
      hours = after.replace(/[。]$/u, '');
      const next = all[at + 1];
      if (next && /不提供服务|休息|关闭|不营业/u.test(next))
        hours = `${hours}。${next.replace(/[。]$/u, '')}`;
      hours = `${hours}。`;
    }
  }
  return {
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(hours ? { hours } : {}),
    sourceTitle: hit.title,
    source: hit.source,
  };
}

export function contactFromHit(
  hit: Pick<KnowledgeHit, 'content' | 'title' | 'source'> & { language?: string },
): SupportContact | undefined {
  if (hit.language === 'zh-CN') return chineseContact(hit);
  const all = sentences(hit.content);
  const phoneSentenceIndex = all.findIndex((s) => /\bphone\b/i.test(s) && PHONE.test(s));
  const phone = phoneSentenceIndex >= 0 ? PHONE.exec(all[phoneSentenceIndex]!)?.[0].trim() : undefined;
  const email = all.map((s) => EMAIL.exec(s)?.[0]).find(Boolean);
  if (!phone && !email) return undefined;
  let hours: string | undefined;
  const hoursIndex =
    phoneSentenceIndex >= 0 && DAY.test(all[phoneSentenceIndex]!) && TIME.test(all[phoneSentenceIndex]!)
      ? phoneSentenceIndex
      : all.findIndex((s) => /\b(support|service|phone)\b/i.test(s) && DAY.test(s) && TIME.test(s));
  if (hoursIndex >= 0) {
    hours = all[hoursIndex]!.replace(phone ?? '\u0000', '')
      .replace(/^[^:]{0,40}:\s*/, '')
      .replace(/^[\s,;-]+/, '')
      .replace(/\.$/, '');
    const next = all[hoursIndex + 1];
    if (next && /\bclosed\b/i.test(next)) hours = `${hours}. ${next.replace(/\.$/, '')}`;
  }
  return {
    ...(phone ? { phone } : {}),
    ...(email ? { email } : {}),
    ...(hours ? { hours: `${hours}.` } : {}),
    sourceTitle: hit.title,
    source: hit.source,
  };
}

/**
 * Finds the support contact in the knowledge base: searches documents for everyone only (the
 * answer is posted in any conversation) and takes the first hit that states a phone number or email.
 */
export async function findSupportContact(
  search: KnowledgeSearch,
  language?: string,
): Promise<SupportContact | undefined> {
  // A Chinese conversation: the Chinese contact document first, the English one when there is none.
  const query =
    language === 'zh-CN' ? `${SUPPORT_CONTACT_QUERY_ZH} ${SUPPORT_CONTACT_QUERY}` : SUPPORT_CONTACT_QUERY;
  const hits = await search.search(query, { groups: [EVERYONE], top: 5, ...(language ? { language } : {}) });
  for (const hit of hits) {
    if (!hit.groups.includes(EVERYONE)) continue;
    const contact = contactFromHit(hit);
    if (contact) return contact;
  }
  return undefined;
}
