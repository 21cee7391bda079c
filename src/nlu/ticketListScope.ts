/**
 * Whose tickets a "show tickets" message asks for. 'queue': everyone's open tickets ("what
 * tickets are open?", "show the queue", 所有工单) — the tool grants it only to support agents and
 * shows the asker's own otherwise; 'mine' when the message says my/I/me or names no one.
 */
export function ticketListScope(text: string): 'mine' | 'queue' {
  const t = text.toLowerCase();
  if (/\b(my|mine|i|me|i've|i'd)\b|我的|我提交|我开/.test(t)) return 'mine';
  const everyone =
    /\b(all|every|everyone'?s?|any(one)?'?s?|unassigned|queue|backlog|team'?s?|new)\b/.test(t) ||
    /\btickets?\b.*\b(open|waiting|pending|outstanding)\b|\b(open|waiting|pending|outstanding)\b.*\btickets?\b/.test(
      t,
    );
  return everyone || /所有|全部|队列|待处理|未处理/.test(t) ? 'queue' : 'mine';
}
