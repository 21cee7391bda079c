import type { Language } from '../text/language';
import {
  compileTable,
  extractEntities,
  firstMatch,
  type Category,
  type ExtractedEntities,
  type Priority,
} from './entities';

/**
 * Entities written the Chinese way: "订单10421" / "订单号：10421" / "10421这个订单", "工单123" /
 * "工单号000123" / "123号工单", priorities (紧急, 急, 优先级高, 不急, 低优先级 …) and categories.
 * Ids written "ORD-10421" / "TKT-000123" are the English extractor's (entities.ts); this file
 * only adds to it, and `extractEntitiesFor` combines the two for a Chinese turn.
 */

/** "订单10421", "订单号10421", "订单号是：10421", "单号 10421" (not "工单号": that is a ticket). */
const ZH_ORDER = /(?:订单|(?<!工)单)(?:号|编号)?(?:是|为)?\s*[:#]?\s*(\d{4,})/;
/** "10421这个订单", "10421号订单", "10421 的订单" */
const ZH_ORDER_BEFORE = /(?<![\d-])(\d{4,})\s*(?:号|的)?\s*(?:这个|这笔|那个|那笔)?\s*订单/;
/** "工单123", "工单号000123", "报修单 45", "问题单#7" */
const ZH_TICKET = /(?:工单|报修单|问题单|支持单)(?:号|编号)?(?:是|为)?\s*[:#]?\s*(\d{1,6})(?!\d)/;
/** "123号工单", "000123这个工单" */
const ZH_TICKET_BEFORE = /(?<![\d-])(\d{1,6})\s*(?:号|的)?\s*(?:这个|那个)?\s*(?:工单|报修单)/;

/**
 * Phrase (regex source) → priority, as the English table maps them: urgent → critical (the ticket's
 * "urgent"), asap/important → high. At the same position the longer phrase wins, and a phrase that
 * starts earlier wins, so "不紧急" (not urgent) is low although it contains "紧急".
 */
const ZH_PRIORITY: [string, Priority][] = [
  [
    '不(?:太|是很|怎么|用)?(?:紧急|急|着急|重要)|不赶时间|有空再|低优先级|优先级(?:是|为)?低|低优|(?:优先级)?不高',
    'low',
  ],
  ['普通|一般优先级|中等?优先级|优先级(?:是|为)?(?:中|普通|一般)', 'medium'],
  ['高优先级|优先级(?:是|为)?高|高优|尽快|赶紧|重要', 'high'],
  ['紧急|加急|特急|很急|非常急|特别急|十万火急|急|马上|立刻|立即|最高优先级|严重', 'critical'],
];

const ZH_CATEGORY: [string, Category][] = [
  ['账单|发票|扣款|扣费|收费|付款|支付|退款|多扣|重复扣', 'billing'],
  ['快递|物流|配送|送货|发货|包裹|运输|派送|签收', 'shipping'],
  ['商品|产品|质量|瑕疵|坏了|破损|损坏|尺码|说明书', 'product'],
  ['账号|账户|登录|登陆|密码|锁定|被锁|用户名', 'account'],
  [
    '打印机|电脑|笔记本|显示器|网络|网站|系统|软件|报错|崩溃|蓝屏|死机|vpn|邮箱|服务器|故障|宕机',
    'technical',
  ],
];

const PRIORITY_TABLE = compileTable(ZH_PRIORITY, { words: false });
const CATEGORY_TABLE = compileTable(ZH_CATEGORY, { words: false });

/** The Chinese-form entities of a message (full-width digits and colons are read as ASCII). */
export function extractChineseEntities(text: string): ExtractedEntities {
  if (typeof text !== 'string' || text.length === 0) return {};
  const input = text.slice(0, 4000).normalize('NFKC');
  const out: ExtractedEntities = {};
  const ticket = ZH_TICKET.exec(input) ?? ZH_TICKET_BEFORE.exec(input);
  if (ticket) out.ticketId = `TKT-${ticket[1].padStart(6, '0')}`;
  // A ticket number is not an order number ("工单号 10421" is matched as a ticket above).
  const withoutTicket = ticket ? input.replace(ticket[0], ' ') : input;
  const order = ZH_ORDER.exec(withoutTicket) ?? ZH_ORDER_BEFORE.exec(withoutTicket);
  if (order) out.orderId = `ORD-${order[1]}`;
  const rest = withoutTicket.replace(order?.[0] ?? '', ' ').replace(/ORD[-_ ]?\d+|TKT[-_ ]?\d+/gi, ' ');
  const priority = firstMatch(rest, PRIORITY_TABLE);
  if (priority) out.priority = priority;
  const category = firstMatch(rest, CATEGORY_TABLE);
  if (category) out.category = category;
  return out;
}

/**
 * The entities of a turn in its language. English turns get exactly `extractEntities`. Chinese
 * turns get both: ids written ORD-/TKT- come from the English extractor, Chinese id forms fill in
 * what it did not find, and Chinese priority and category words win over English ones.
 */
export function extractEntitiesFor(text: string, language: Language): ExtractedEntities {
  const english = extractEntities(text);
  if (language !== 'zh-CN') return english;
  const chinese = extractChineseEntities(text);
  const out: ExtractedEntities = { ...english };
  if (!out.orderId && chinese.orderId) out.orderId = chinese.orderId;
  if (!out.ticketId && chinese.ticketId) out.ticketId = chinese.ticketId;
  if (chinese.priority) out.priority = chinese.priority;
  if (chinese.category) out.category = chinese.category;
  return out;
}
