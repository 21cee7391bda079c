/**
 * When an order was placed, as people say it: "the one I ordered last week", "my order from
 * November", "what I bought yesterday", 上周买的, 十一月的订单. `orderDateRange` turns the phrase into a
 * span of time (UTC days, weeks starting on Monday); the caller keeps the user's own orders whose
 * `orderedAt` falls in it. Pure: `now` is passed in.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** [from, to) in epoch milliseconds. */
export interface DateRange {
  from: number;
  to: number;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_EN = new RegExp(
  `\\b(?:in|from|of|during|back in|placed in|ordered in|bought in)\\s+(?:early\\s+|late\\s+|mid[- ]?)?(${MONTHS.map((m) => `${m.slice(0, 3)}${m.length > 3 ? `(?:${m.slice(3)})?` : ''}`).join('|')})\\.?(?:\\s+(\\d{4}))?\\b|\\b(${MONTHS.join('|')})(?:\\s+(\\d{4}))?(?:'s)?\\s+(?:order|one|purchase)\\b`,
  'i',
);
const MONTH_NAMES = MONTHS.map((m) => `${m.slice(0, 3)}${m.length > 3 ? `(?:${m.slice(3)})?` : ''}`).join(
  '|',
);
/** A day of a month: "3 November", "the 3rd of November", "November 3", "Nov 3rd 2025". */
const DAY_MONTH_EN = new RegExp(
  `\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH_NAMES})\\.?(?:,?\\s+(\\d{4}))?\\b|\\b(${MONTH_NAMES})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b(?!\\s*(?:am|pm|:))`,
  'i',
);
const ZH_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
  十一: 11,
  十二: 12,
};
const MONTH_ZH = /(?:(\d{4})年)?(十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])月(?:份)?/;
const DAYS_AGO = /\b(\d{1,2}|a|one|two|three|four|five|six|seven)\s+(days?|weeks?)\s+ago\b/i;
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
};

function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Monday 00:00 UTC of the week `ms` falls in. */
function startOfWeek(ms: number): number {
  const day = startOfDay(ms);
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return day - weekday * DAY_MS;
}

function monthRange(year: number, month: number): DateRange {
  return { from: Date.UTC(year, month, 1), to: Date.UTC(year, month + 1, 1) };
}

/** A month named without a year is the latest one that is not in the future. */
function namedMonth(month: number, year: number | undefined, now: number): DateRange {
  const today = new Date(now);
  const y = year ?? (month > today.getUTCMonth() ? today.getUTCFullYear() - 1 : today.getUTCFullYear());
  return monthRange(y, month);
}

function relativeRange(text: string, now: number): DateRange | undefined {
  const today = startOfDay(now);
  if (/\btoday\b|今天/i.test(text)) return { from: today, to: today + DAY_MS };
  if (/\byesterday\b|昨天/i.test(text)) return { from: today - DAY_MS, to: today };
  if (/\blast week\b|\bprevious week\b|上周|上个星期|上星期|上礼拜/i.test(text))
    return { from: startOfWeek(now) - 7 * DAY_MS, to: startOfWeek(now) };
  if (/\bthis week\b|这周|本周|这个星期|这星期/i.test(text))
    return { from: startOfWeek(now), to: today + DAY_MS };
  const d = new Date(now);
  if (/\blast month\b|\bprevious month\b|上个月|上月/i.test(text))
    return monthRange(d.getUTCFullYear(), d.getUTCMonth() - 1);
  if (/\bthis month\b|这个月|本月/i.test(text)) return monthRange(d.getUTCFullYear(), d.getUTCMonth());
  const ago = DAYS_AGO.exec(text);
  if (ago) {
    const n = NUMBER_WORDS[ago[1].toLowerCase()] ?? Number(ago[1]);
    const days = /week/i.test(ago[2]) ? n * 7 : n;
    // "3 days ago" is not to the hour: a day either side.
    const day = today - days * DAY_MS;
    return { from: day - DAY_MS, to: day + 2 * DAY_MS };
  }
  return undefined;
}

/** "3 November": that day (a day either side, as "3 days ago"); without a year the latest one not in the future. */
function dayOfMonth(text: string, now: number): DateRange | undefined {
  const m = DAY_MONTH_EN.exec(text);
  if (!m) return undefined;
  const name = (m[2] ?? m[4])!.toLowerCase().slice(0, 3);
  const day = Number(m[1] ?? m[5]);
  const month = MONTHS.findIndex((x) => x.startsWith(name));
  if (day < 1 || day > 31 || month < 0) return undefined;
  const year = m[3] ?? m[6];
  const thisYear = new Date(now).getUTCFullYear();
  let at = Date.UTC(year ? Number(year) : thisYear, month, day);
  if (!year && at > now) at = Date.UTC(thisYear - 1, month, day);
  return { from: at - DAY_MS, to: at + 2 * DAY_MS };
}

/** The span of time the message names for when an order was placed, or undefined. */
export function orderDateRange(text: string, now = Date.now()): DateRange | undefined {
  const relative = relativeRange(text, now) ?? dayOfMonth(text, now);
  if (relative) return relative;
  const en = MONTH_EN.exec(text);
  if (en) {
    const name = (en[1] ?? en[3]).toLowerCase().slice(0, 3);
    const year = en[2] ?? en[4];
    return namedMonth(
      MONTHS.findIndex((m) => m.startsWith(name)),
      year ? Number(year) : undefined,
      now,
    );
  }
  const zh = MONTH_ZH.exec(text);
  if (zh) {
    const month = ZH_DIGITS[zh[2]] ?? Number(zh[2]);
    return namedMonth(month - 1, zh[1] ? Number(zh[1]) : undefined, now);
  }
  return undefined;
}

/** Whether `iso` (an order's orderedAt) falls in `range`. */
export function placedIn(iso: string, range: DateRange): boolean {
  const ms = Date.parse(iso);
  return ms >= range.from && ms < range.to;
}
