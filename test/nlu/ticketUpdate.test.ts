import { describe, expect, it } from 'vitest';
import { parseTicketRequest, parseTicketUpdate } from '../../src/nlu/ticketUpdate';

describe('parseTicketUpdate', () => {
  it.each([
    ['mark TKT-000123 as resolved: disk replaced', { status: 'resolved', comment: 'disk replaced' }],
    ['set ticket TKT-000123 to in progress', { status: 'in_progress' }],
    ['close ticket TKT-000123', { status: 'closed' }],
    ['resolve TKT-000123 with note: fixed the cable', { status: 'resolved', comment: 'fixed the cable' }],
    ['Mark TKT-000001 as done - replaced the screen', { status: 'resolved', comment: 'replaced the screen' }],
    [
      'please close my ticket TKT-000002, not needed anymore',
      { status: 'closed', comment: 'not needed anymore' },
    ],
    // The ticket just shown, by pronoun or place (the planner names it from what it showed).
    ['mark it as resolved: replacement sent', { status: 'resolved', comment: 'replacement sent' }],
    ['close that ticket', { status: 'closed' }],
    ['set the first one to in progress', { status: 'in_progress' }],
  ])('%s', (text, expected) => {
    expect(parseTicketUpdate(text)).toEqual(expected);
  });

  it.each([
    'Status of TKT-000123',
    'is TKT-000123 closed?',
    'what happened to TKT-000123 after you resolved it',
    'close',
    'close the window',
    'did you mark it as resolved?',
    'how do I mark it as resolved?',
    'can I set my ticket to in progress myself?',
  ])('is not an update: %s', (text) => {
    expect(parseTicketUpdate(text)).toBeUndefined();
  });
});

describe('parseTicketRequest: notes that keep the status', () => {
  const note = (comment: string | undefined, target: unknown, internal = false) => ({
    kind: 'note',
    ...(comment ? { comment } : {}),
    internal,
    target,
  });
  const id = (ticketId: string) => ({ kind: 'id', ticketId });
  const shown = (words: string) => ({ kind: 'shown', words });
  const none = { kind: 'none' };

  it.each([
    ['add a note to TKT-000123: customer called back', note('customer called back', id('TKT-000123'))],
    ['note on it: waiting for the courier', note('waiting for the courier', shown('it'))],
    ['comment on the first one: replacement shipped', note('replacement shipped', shown('the first one'))],
    ['pls add note to 1234 - courier booked', note('courier booked', id('TKT-001234'))],
    ['Add Note To tkt-000002 - called back again', note('called back again', id('TKT-000002'))],
    ['add a ntoe to ticket 12: courier late', note('courier late', id('TKT-000012'))],
    ['can you add a coment on ticket #2 saying parcel found', note('parcel found', id('TKT-000002'))],
    [
      'leave a comment on that ticket that the customer is away until Monday',
      note('the customer is away until Monday', shown('that ticket')),
    ],
    ['add a note: customer called back', note('customer called back', none)],
    ['add note customer called back', note('customer called back', none)],
    ['add a note to the second one', note(undefined, shown('the second one'))],
    ['add an internal note to TKT-000001: vip customer', note('vip customer', id('TKT-000001'), true)],
    ['add note to ticket 2 pls: called customer', note('called customer', id('TKT-000002'))],
    ['update TKT-000002 with a note: customer called back', note('customer called back', id('TKT-000002'))],
    ['add a note to my ticket: I am home after 5', note('I am home after 5', shown('my ticket'))],
    ['leave a note for the customer: we will call tomorrow', note('we will call tomorrow', none)],
    ['add the note "customer called back" to ticket 5', note('customer called back', id('TKT-000005'))],
    ['add a note to TCK-1234: customer called back', note('customer called back', id('TKT-001234'))],
    ['给 TKT-000123 加备注:客户已回电', note('客户已回电', id('TKT-000123'))],
    ['在第二个工单上添加备注：等快递', note('等快递', shown('第二个工单'))],
    ['给它加个内部备注:VIP', note('VIP', shown('它'), true)],
    ['帮我给工单12加一条备注', note(undefined, id('TKT-000012'))],
    // What to tell the requester is a note on the ticket shown (notes reach the requester).
    ['tell the customer we are sending a replacement', note('we are sending a replacement', shown('it'))],
    [
      'pls let the requester know that the courier comes monday',
      note('the courier comes monday', shown('it')),
    ],
  ])('%s', (text, expected) => {
    expect(parseTicketRequest(text)).toEqual(expected);
  });

  it('reads "update the user guide …" as no note to the requester', () => {
    expect(parseTicketRequest('update the user guide with the new vpn steps')).toBeUndefined();
  });

  it('names the ticket by its own words, never by an id inside the note or the status comment', () => {
    expect(parseTicketRequest('note on it: duplicate of TKT-000002')).toEqual(
      note('duplicate of TKT-000002', shown('it')),
    );
    expect(parseTicketRequest('mark it as resolved: same fault as TKT-000007')).toEqual({
      kind: 'update',
      update: { status: 'resolved', comment: 'same fault as TKT-000007' },
      target: shown('it'),
    });
    expect(parseTicketRequest('close ticket 42')).toEqual({
      kind: 'update',
      update: { status: 'closed' },
      target: id('TKT-000042'),
    });
  });

  it.each([
    'what does the note on TKT-000123 say?',
    'can I see the comments on my ticket?',
    'did you add a note to it?',
    'I noted that the parcel was late',
    'the comment on my order was wrong',
    'please note that I am away next week',
    'how do I add a note to my ticket?',
    'note to self: buy milk',
    'add a note to the file: x',
  ])('is no note request: %s', (text) => {
    expect(parseTicketRequest(text)).toBeUndefined();
  });
});
