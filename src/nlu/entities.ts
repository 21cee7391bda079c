export type Priority = 'low' | 'medium' | 'high' | 'critical';
export type Category = 'billing' | 'shipping' | 'product' | 'account' | 'technical' | 'hr' | 'other';

export interface ExtractedEntities {
  orderId?: string;
  ticketId?: string;
  priority?: Priority;
  category?: Category;
}

const ORDER_ID = /\bORD[-_ ]?(\d{4,})\b/i;
/** "order 10421", "order #10421", "order number 10421", "order no. 10421" */
const BARE_ORDER = /\border(?:\s*(?:#|no\.?|num(?:ber)?|id))?\s*[:#]?\s*(\d{4,})\b/i;
const TICKET_ID = /\bTKT[-_ ]?(\d{1,6})\b/i;
/** "ticket 123", "ticket #123", "case number 5561", "incident 42" */
const BARE_TICKET = /\b(?:ticket|case|incident)(?:\s*(?:#|no\.?|num(?:ber)?|id))?\s*[:#]?\s*(\d{1,6})\b/i;

/** Synonym tables: phrase (regex source, matched on word boundaries) → canonical value. */
const PRIORITY_SYNONYMS: [string, Priority][] = [
  ['not (?:very )?urgent|no rush|low(?:[- ]priority)?|whenever|minor|not important|p4', 'low'],
  ['medium|normal|moderate|standard priority|p3', 'medium'],
  ['high(?:[- ]priority)?|asap|as soon as possible|important|quickly|p2', 'high'],
  ['urgent|urgently|critical|emergency|blocker|blocking|p1|top priority|immediately', 'critical'],
];

const CATEGORY_SYNONYMS: [string, Category][] = [
  [
    'billing|bill|bills|invoices?|charged?|charges|double charged|payments?|refunds?|credit card|overcharged',
    'billing',
  ],
  ['shipping|shipment|deliver(?:y|ies|ed)?|parcels?|packages?|courier|tracking|dispatch(?:ed)?', 'shipping'],
  ['products?|items?|defective|damaged|broken|faulty|quality|wrong size|manual', 'product'],
  ['account|log ?in|sign ?in|password|profile|locked out|username', 'account'],
  [
    // An employee's equipment and systems ("my laptop is super slow", "the printer on floor 3 jams").
    'technical|tech|bug|error|crash(?:es|ed|ing)?|website|app|outage|not working|vpn|laptop|computer|pc|desktop|printers?|printing|wi-?fi|network|internet|e-?mail|outlook|software|install(?:ed|ing|ation)?|freez(?:e|es|ing)|froze|slow|(?:re)?boot(?:s|ing)?|server|blue screen',
    'technical',
  ],
  [
    'payslips?|pay ?slips?|payroll|salary|(?:annual|sick|parental|compassionate) leave|vacation days|holiday allowance|benefits|pension|hr portal|hr',
    'hr',
  ],
  ['other|misc|miscellaneous|general', 'other'],
];

/** Synonym tables as case-insensitive patterns; `words: false` for scripts without word boundaries. */
export function compileTable<T>(
  table: [string, T][],
  { words = true }: { words?: boolean } = {},
): { pattern: RegExp; value: T }[] {
  return table.map(([source, value]) => ({
    pattern: new RegExp(words ? `\\b(?:${source})\\b` : source, 'gi'),
    value,
  }));
}

const PRIORITY_TABLE = compileTable(PRIORITY_SYNONYMS);
const CATEGORY_TABLE = compileTable(CATEGORY_SYNONYMS);

/**
 * The value of the earliest match in the text; at the same position the longer phrase wins
 * ("not urgent" starts before "urgent", so it is low rather than critical).
 */
export function firstMatch<T>(text: string, table: { pattern: RegExp; value: T }[]): T | undefined {
  let best: { index: number; length: number; value: T } | undefined;
  for (const { pattern, value } of table) {
    for (const match of text.matchAll(pattern)) {
      const index = match.index ?? 0;
      const length = match[0].length;
      if (!best || index < best.index || (index === best.index && length > best.length)) {
        best = { index, length, value };
      }
    }
  }
  return best?.value;
}

/**
 * Order and ticket ids, priority and category found in a message, by regex and synonym tables.
 * Ids are canonicalised: ORD-<digits> and TKT-<6 digits, zero-padded>.
 */
export function extractEntities(text: string): ExtractedEntities {
  if (typeof text !== 'string' || text.length === 0) return {};
  // Bound the work on pathological input; a chat message that long carries no more entities.
  const input = text.slice(0, 4000);
  const out: ExtractedEntities = {};
  const order = ORDER_ID.exec(input) ?? BARE_ORDER.exec(input);
  if (order) out.orderId = `ORD-${order[1]}`;
  const ticket = TICKET_ID.exec(input) ?? BARE_TICKET.exec(input);
  if (ticket) out.ticketId = `TKT-${ticket[1].padStart(6, '0')}`;
  // Ids must not be read as priorities or categories ("TKT-000001 p1" aside, "order" is not a category word).
  const rest = input.replace(ORDER_ID, ' ').replace(TICKET_ID, ' ');
  const priority = firstMatch(rest, PRIORITY_TABLE);
  if (priority) out.priority = priority;
  const category = firstMatch(rest, CATEGORY_TABLE);
  if (category) out.category = category;
  return out;
}
