import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** A configured wording in other languages than English (the `name` / `label` beside it). */
const translations = z
  .object({ 'zh-CN': z.string().min(1).optional() })
  .strict()
  .optional();

const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a month-day like 11-15');

/** config/returns-policy.json: the exceptions to the standard return window, as data. */
export const returnRulesSchema = z
  .object({
    description: z.string().optional(),
    /** Bought between purchasedFrom and purchasedTo (inclusive, UTC): returnable until returnUntil of the next year. */
    holidaySeason: z
      .object({
        name: z.string().min(1).default('holiday season'),
        names: translations,
        purchasedFrom: monthDay,
        purchasedTo: monthDay,
        returnUntil: monthDay,
      })
      .strict()
      .optional(),
    /** Orders placed under a membership programme get its window instead of the standard one. */
    memberWindows: z
      .array(
        z
          .object({
            membership: z.string().min(1),
            name: z.string().min(1),
            windowDays: z.number().int().min(1).max(365),
          })
          .strict(),
      )
      .default([]),
    /** Order lines of these categories are refused (onlyWhenOpened: only lines marked opened). */
    nonReturnable: z
      .array(
        z
          .object({
            category: z.string().min(1),
            label: z.string().min(1),
            labels: translations,
            onlyWhenOpened: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type ReturnRules = z.output<typeof returnRulesSchema>;

/** No exceptions: the standard window only, every item returnable. */
export const NO_RETURN_RULES: ReturnRules = { memberWindows: [], nonReturnable: [] };

/** Reads and validates a returns policy file (throws naming the file and the offending field). */
export function loadReturnRules(file: string): ReturnRules {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read returns policy ${file}: ${(err as Error).message}`);
  }
  const parsed = returnRulesSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid returns policy ${file}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** The rule that makes an order line non-returnable, if any. */
export function nonReturnableRule(
  item: { category?: string; opened?: boolean },
  rules: ReturnRules,
): ReturnRules['nonReturnable'][number] | undefined {
  if (!item.category) return undefined;
  return rules.nonReturnable.find(
    (r) => r.category === item.category && (!r.onlyWhenOpened || item.opened === true),
  );
}

/** A rule's wording in `language`: its translation when configured, its English text otherwise. */
export function localWording(
  english: string,
  translated: { 'zh-CN'?: string } | undefined,
  language: 'en' | 'zh-CN',
): string {
  return language === 'en' ? english : (translated?.[language] ?? english);
}
