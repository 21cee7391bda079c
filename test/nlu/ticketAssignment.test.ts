import { describe, expect, it } from 'vitest';
import { assignmentMove, parseTicketAssignment, requireAssignmentCue } from '../../src/nlu/ticketAssignment';

describe('parseTicketAssignment', () => {
  it.each([
    ['assign TKT-000123 to me', 'me'],
    ["I'll take TKT-000123", 'me'],
    ['take ticket 123', 'me'],
    ['can you assign TKT-000123 to me?', 'me'],
    ['give TKT-000123 to <at>Erin Agent</at>', 'mentioned'],
    ['reassign TKT-000123 to <at>Erin</at>', 'mentioned'],
    ['unassign TKT-000123', 'nobody'],
    ['release TKT-000123', 'nobody'],
    ['put TKT-000123 back in the queue', 'nobody'],
    ["I'm no longer working on TKT-000123", 'nobody'],
    ['把工单123分配给我', 'me'],
    ['工单123我来处理', 'me'],
    ['把工单123转给<at>Erin</at>', 'mentioned'],
    ['取消分配工单123', 'nobody'],
  ])('"%s" assigns to %s', (text, assignee) => {
    expect(parseTicketAssignment(text)).toEqual({ assignee });
  });

  it.each([
    "I'll take a look at TKT-000123",
    'TKT-000123 is about the release notes',
    'who is working on TKT-000123?',
    'is TKT-000123 assigned to anyone?',
    'mark TKT-000123 as resolved',
    'show me TKT-000123',
    'give TKT-000123 to Erin',
    '工单123是谁在处理',
  ])('"%s" is no assignment (a name without a mention is not a person)', (text) => {
    expect(parseTicketAssignment(text)).toBeUndefined();
  });
});

describe('assignmentMove and the trained intent', () => {
  const prediction = (intent: string, next = 'ticket_status') => ({
    intent,
    confidence: 0.7,
    ranking: [
      { intent, score: 0.7 },
      { intent: next, score: 0.2 },
    ],
  });

  it('needs a ticket to act; a clear assignment without one asks which ticket', () => {
    expect(assignmentMove('assign TKT-000123 to me', 'TKT-000123', 'ticket_status')).toEqual({
      tool: 'assign_ticket',
      args: { ticketId: 'TKT-000123', assignee: 'me' },
    });
    expect(assignmentMove('assign it to me', undefined, 'assign_ticket')).toBe('ask');
    expect(assignmentMove('show my tickets', undefined, 'ticket_status')).toBeUndefined();
    // A place in a list, or the word ticket, with nothing to resolve it against: asked too.
    expect(assignmentMove("I'll take the first one", undefined, 'ticket_status')).toBe('ask');
    expect(assignmentMove("I'll take that ticket", undefined, 'ticket_status')).toBe('ask');
    expect(assignmentMove("I'll take it", undefined, 'knowledge_question')).toBeUndefined();
  });

  it('the intent alone assigns only with an assignment word; otherwise the ticket is looked up', () => {
    expect(assignmentMove('put TKT-000123 on my plate', 'TKT-000123', 'assign_ticket')).toEqual({
      tool: 'assign_ticket',
      args: { ticketId: 'TKT-000123', assignee: 'me' },
    });
    expect(assignmentMove('can you look up TKT-000123', 'TKT-000123', 'assign_ticket')).toEqual({
      tool: 'get_ticket_status',
      args: { ticketId: 'TKT-000123' },
    });
  });

  it('a hand-over read as assign_ticket falls back to the next intent', () => {
    expect(
      requireAssignmentCue('请把我转给支持团队', prediction('assign_ticket', 'request_human'), false).intent,
    ).toBe('request_human');
    expect(requireAssignmentCue('put TKT-000123 on my plate', prediction('assign_ticket'), true).intent).toBe(
      'assign_ticket',
    );
  });
});
