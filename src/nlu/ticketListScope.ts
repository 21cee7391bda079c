/**
 * Whose tickets a "show tickets" message asks for. 'unassigned': open tickets nobody works on yet
 * ("unassigned tickets", "tickets nobody has picked up", 未分配的工单); 'filed': the tickets the
 * asker filed themselves ("tickets I opened", 我提交的工单); 'queue': everyone's open tickets ("what
 * tickets are open?", "show the queue", 所有工单); 'mine' when the message says my/I/me or names no
 * one. The tool grants the team views only to support agents (the asker's own list otherwise), and
 * a support agent's 'mine' is their work: the tickets assigned to them ("my tickets", "what am I
 * working on?").
 */
export function ticketListScope(text: string): 'mine' | 'filed' | 'queue' | 'unassigned' {
  // "show me open tickets", "let me see the queue": "me" asks for the list, it does not own it.
  const t = text
    .toLowerCase()
    .replace(
      /\b(?:show|give|get|send|tell|find|list|bring)\s+me\b|\blet\s+me\s+(?:see|know|have)\b/g,
      'show',
    );
  if (
    /\bun-?assigned\b|\bnot\s+(?:yet\s+)?assigned\b|\bwithout\s+(?:an?\s+)?(?:owner|assignee|agent)\b|\bno\s+(?:owner|assignee)\b|\bno(?:body|\s+one)\s+(?:has\s+)?(?:picked|taken|claimed|owns|is\s+(?:on|handling|working))/.test(
      t,
    ) ||
    /未分配|没有?分配|无人(?:认领|处理|负责)|没人(?:认领|处理|负责|接)/.test(t)
  )
    return 'unassigned';
  if (
    /\b(?:i|we)\s+(?:have\s+)?(?:opened|open|filed|file|raised|raise|created|submitted|reported|logged)\b|\bi'?ve\s+(?:opened|filed|raised|created|submitted|reported|logged)\b|\bmy\s+own\s+(?:requests|tickets)\b/.test(
      t,
    ) ||
    /我(?:自己)?(?:提交|开|创建|提)的/.test(t)
  )
    return 'filed';
  if (/\b(my|mine|i|me|i've|i'd)\b|我的|我提交|我开/.test(t)) return 'mine';
  const everyone =
    /\b(all|every|everyone'?s?|any(one)?'?s?|queue|backlog|team'?s?|new|came in|come in|did we get|have we got|we(?:'ve| have) got)\b/.test(
      t,
    ) ||
    /\btickets?\b.*\b(open|waiting|pending|outstanding)\b|\b(open|waiting|pending|outstanding)\b.*\btickets?\b/.test(
      t,
    );
  return everyone || /所有|全部|队列|待处理|未处理/.test(t) ? 'queue' : 'mine';
}
