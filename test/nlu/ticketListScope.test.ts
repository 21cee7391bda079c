import { describe, expect, it } from 'vitest';
import { ticketListScope } from '../../src/nlu/ticketListScope';

describe('ticketListScope', () => {
  it.each([
    'show me my tickets',
    'any update on my ticket?',
    'tickets',
    'status of the ticket',
    '我的工单',
    'what are my open tickets',
    'what am I working on',
  ])('"%s" asks for the asker\'s own tickets (an agent\'s: those assigned to them)', (text) => {
    expect(ticketListScope(text)).toBe('mine');
  });

  it.each([
    'which tickets did I open?',
    'the tickets I filed last week',
    "show the tickets I've raised",
    '我提交的工单',
  ])('"%s" asks for the tickets the asker filed', (text) => {
    expect(ticketListScope(text)).toBe('filed');
  });

  it.each([
    'what tickets are open right now?',
    'show all open tickets',
    'whats in the queue',
    '所有待处理的工单',
    "list everyone's tickets",
    'show me open tickets',
    'can you give me the pending tickets',
    'how many tickets did we get today',
  ])('"%s" asks for the support queue', (text) => {
    expect(ticketListScope(text)).toBe('queue');
  });

  it.each([
    'any unassigned tickets?',
    'show open tickets nobody has picked up',
    'tickets without an owner',
    'which tickets are not assigned yet',
    '未分配的工单',
    '有哪些没人认领的工单',
  ])('"%s" asks for the open tickets without an assignee', (text) => {
    expect(ticketListScope(text)).toBe('unassigned');
  });
});
