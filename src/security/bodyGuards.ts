/**
 * Structural checks on a parsed request body, run before anything else reads it.
 *
 * JSON.parse keeps `"__proto__"` as an ordinary own key, but any later `Object.assign` or
 * hand-written deep merge turns it into a prototype change. Teams never sends such keys, so a
 * body that carries one is refused outright. Nesting is bounded too, so a pathological body
 * cannot make later recursive code overflow the stack. The walk itself is iterative.
 */
export const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Returns why the body is refused, or undefined when it is fine. */
export function findForbiddenKey(body: unknown, maxDepth = MAX_JSON_DEPTH): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) return `The request body is nested deeper than ${maxDepth} levels.`;
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key))
        return 'The request body contains a reserved key (__proto__, prototype or constructor).';
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}
