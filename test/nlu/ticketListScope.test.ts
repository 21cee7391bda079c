import { describe, expect, it } from 'vitest';
import { ticketListScope } from '../../src/nlu/ticketListScope';

describe('ticketListScope', () => {
  it.each([
    'show me my tickets',
    'any update on my ticket?',
    'which tickets did I open?',
    'tickets',
    'status of the ticket',
    '我的工单',
    'what are my open tickets',
  ])('"%s" asks for the asker\'s own tickets', (text) => {
    expect(ticketListScope(text)).toBe('mine');
  });

  it.each([
    'what tickets are open right now?',
    'show all open tickets',
    'whats in the queue',
    'any unassigned tickets?',
    '所有待处理的工单',
    "list everyone's tickets",
  ])('"%s" asks for the support queue', (text) => {
    expect(ticketListScope(text)).toBe('queue');
  });
});
