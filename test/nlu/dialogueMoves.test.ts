import { describe, expect, it } from 'vitest';
import {
  asksForTicketNotes,
  correctionMove,
  normaliseIds,
  pointedBackMove,
  questionFor,
  requestAfterStop,
  shownOrderMove,
  slotAnswer,
  taskMove,
  ticketRequestMove,
  whichOrderSlot,
  type PendingSlot,
  type SlotQuestions,
} from '../../src/nlu/dialogue';
import { parseTicketRequest } from '../../src/nlu/ticketUpdate';
import type { IntentPrediction } from '../../src/nlu';

const predicted = (intent: string, confidence = 0.9): IntentPrediction => ({
  intent,
  confidence,
  ranking: [{ intent, score: confidence }],
});
const QUESTIONS: SlotQuestions = {
  askOrderId: 'Which order number?',
  askCancelOrderId: 'Which order do you want to cancel?',
  askReturnOrderId: 'Which order do you want to return?',
  askTicketId: 'Which ticket?',
  askWhichTicket: 'Which ticket do you mean?',
  askTicketProblem: "What's the problem?",
  askOthersOrderId: 'I can only list your own orders.',
  askReason: (orderId) => `Why are you returning ${orderId}?`,
};
const waiting = (slot: Omit<PendingSlot, 'askedAt'>): PendingSlot => ({
  ...slot,
  askedAt: new Date().toISOString(),
});

describe('dialogue moves (slot filling without the planner)', () => {
  it('asks for the order number a lookup needs, and calls the tool once it is there', () => {
    expect(taskMove('order_status', 'where is my order?', {})).toEqual({
      kind: 'ask',
      slot: { intent: 'order_status', slot: 'orderId' },
      question: 'askOrderId',
    });
    expect(taskMove('order_status', 'where is ORD-10421?', { orderId: 'ORD-10421' })).toEqual({
      kind: 'tool',
      tool: 'get_order_status',
      args: { orderId: 'ORD-10421' },
    });
  });

  it('lets the missing-delivery tool list candidates while it waits for the number', () => {
    expect(taskMove('missing_delivery', 'my parcel never came', {})).toEqual({
      kind: 'tool',
      tool: 'report_missing_delivery',
      args: {},
      pending: { intent: 'missing_delivery', slot: 'orderId' },
    });
  });

  it('asks the documents first when a short ticket request names no ticket word', () => {
    const move = taskMove('create_ticket', 'open on sunday', {});
    expect(move).toMatchObject({ kind: 'ask', question: 'askTicketProblem', documentsFirst: true });
    expect(taskMove('create_ticket', 'open a ticket', {})).toMatchObject({ documentsFirst: false });
  });

  it('reads a new question with an order number as a new request, not the waiting answer', () => {
    const pending = waiting({ intent: 'missing_delivery', slot: 'orderId' });
    const entities = { orderId: 'ORD-10421' };
    expect(
      slotAnswer(
        pending,
        'can you tell me where ORD-10421 is right now?',
        predicted('order_status'),
        entities,
        false,
        false,
      ),
    ).toEqual({
      kind: 'again',
    });
    expect(slotAnswer(pending, "it's ORD-10421", predicted('order_status'), entities, false, false)).toEqual({
      kind: 'tool',
      tool: 'report_missing_delivery',
      args: { orderId: 'ORD-10421' },
    });
  });

  it('keeps the reason already given when the return question gets its order number', () => {
    const pending = waiting({ intent: 'start_return', slot: 'orderId', reason: 'it broke' });
    expect(
      slotAnswer(pending, 'ORD-10395', predicted('order_status'), { orderId: 'ORD-10395' }, false, false),
    ).toEqual({ kind: 'return', orderId: 'ORD-10395', reason: 'it broke', items: undefined });
  });

  it('takes the reason from a statement beside the return request, whatever its words', () => {
    const move = taskMove('start_return', 'can i return the headphones from ORD-10395? they hurt my ears', {
      orderId: 'ORD-10395',
    });
    expect(move).toEqual({
      kind: 'return',
      orderId: 'ORD-10395',
      reason: 'they hurt my ears',
      items: [{ item: 'headphones' }],
    });
    const colour = taskMove(
      'start_return',
      'I want to return ORD-10388. the colour looks awful in daylight',
      {
        orderId: 'ORD-10388',
      },
    );
    expect(colour).toMatchObject({ reason: 'the colour looks awful in daylight' });
    // A greeting, a question or what the customer did beside the request is not a reason: the bot asks why.
    expect(
      taskMove('start_return', 'can I return ORD-10388? I tried it on', { orderId: 'ORD-10388' }),
    ).toMatchObject({
      reason: undefined,
    });
    expect(
      taskMove('start_return', 'hi there, return ORD-10388 please', { orderId: 'ORD-10388' }),
    ).toMatchObject({
      reason: undefined,
    });
    expect(
      taskMove('start_return', 'return ORD-10388, how long does the refund take?', { orderId: 'ORD-10388' }),
    ).toMatchObject({ reason: undefined });
  });

  it('lets the answer to "why?" name other items than the request did', () => {
    const pending = waiting({
      intent: 'start_return',
      slot: 'reason',
      orderId: 'ORD-10395',
      items: [{ item: 'headphones' }],
    });
    const entities = {};
    expect(
      slotAnswer(
        pending,
        "I'd like to send back the travel case, it's too small",
        predicted('start_return'),
        entities,
        true,
        false,
      ),
    ).toEqual({
      kind: 'return',
      orderId: 'ORD-10395',
      reason: "it's too small",
      items: [{ item: 'travel case' }],
    });
    // Items named without a reason: the question why is asked again (not "return the case" as the reason).
    expect(
      slotAnswer(pending, 'return the case please', predicted('start_return'), entities, false, false),
    ).toEqual({ kind: 'return', orderId: 'ORD-10395', reason: undefined, items: [{ item: 'case' }] });
    // "it"/"them" names no item: the request's items stay.
    expect(
      slotAnswer(
        pending,
        'I want to send them back because they are too tight',
        predicted('start_return'),
        entities,
        true,
        false,
      ),
    ).toEqual({
      kind: 'return',
      orderId: 'ORD-10395',
      reason: 'they are too tight',
      items: [{ item: 'headphones' }],
    });
  });

  it('continues a broken item with the order picked from "Which order do you mean?"', () => {
    const pending = waiting({
      intent: 'create_ticket',
      slot: 'orderId',
      problem: 'my headphones broke',
      candidates: ['ORD-10395', 'ORD-10388'],
    });
    expect(
      slotAnswer(pending, 'ORD-10388', predicted('order_status'), { orderId: 'ORD-10388' }, false, false),
    ).toEqual({ kind: 'ownItem', orderId: 'ORD-10388', problem: 'my headphones broke' });
    // Asked again after a digression: the order number is what it waits for, not the problem.
    expect(questionFor(pending, QUESTIONS)).toBe(QUESTIONS.askOrderId);
    // Asked again because the answer named several orders: the problem is kept.
    expect(whichOrderSlot(pending, predicted('create_ticket'))).toEqual({
      intent: 'create_ticket',
      slot: 'orderId',
      problem: 'my headphones broke',
    });
    // Without a number the message is not this answer (the reference step reads "the first one").
    expect(slotAnswer(pending, 'hmm', predicted('out_of_scope'), {}, false, false)).toBeUndefined();
  });

  it('re-runs the last order action on a corrected number, with its reason', () => {
    const last = { tool: 'start_return', orderId: 'ORD-10421', reason: 'too small' };
    expect(correctionMove('sorry, I meant ORD-10388', { orderId: 'ORD-10388' }, last)).toEqual({
      kind: 'return',
      orderId: 'ORD-10388',
      reason: 'too small',
    });
    expect(correctionMove('where is ORD-10388', { orderId: 'ORD-10388' }, last)).toBeUndefined();
  });

  it('acts on the order just shown when the message points back at it', () => {
    expect(pointedBackMove('can you cancel it?', 'ORD-10421')).toEqual({
      kind: 'tool',
      tool: 'cancel_order',
      args: { orderId: 'ORD-10421' },
    });
    expect(pointedBackMove('what about it?', 'ORD-10421')).toBeUndefined();
  });
});

describe('a stop that goes on with a request', () => {
  it('gives the request after "never mind" / "forget it" / 算了, and nothing for a bare stop', () => {
    expect(requestAfterStop('nevermind. do you have a phone number?')).toBe('do you have a phone number?');
    expect(requestAfterStop('forget it, how do i reset my password?')).toBe('how do i reset my password?');
    expect(requestAfterStop('ok never mind then: where is ORD-10421')).toBe('where is ORD-10421');
    expect(requestAfterStop('算了，退货政策是什么')).toBe('退货政策是什么');
    for (const bare of [
      'never mind',
      'forget it, thanks',
      'nvm thank you',
      '算了',
      'cancel it, the monitor one',
    ])
      expect(requestAfterStop(bare), bare).toBeUndefined();
  });
});

describe('a question about the order just shown', () => {
  it('shows it again for its delivery or carrier, whatever the classifier read; a missing parcel stays a report', () => {
    const status = { kind: 'tool', tool: 'get_order_status', args: { orderId: 'ORD-10421' } };
    for (const text of [
      'is it going to arrive before friday?',
      'what carrier is it with',
      'how long will it take?',
    ])
      expect(shownOrderMove(text, predicted('out_of_scope'), 'ORD-10421'), text).toEqual(status);
    expect(
      shownOrderMove("it still hasn't been delivered", predicted('missing_delivery'), 'ORD-10421'),
    ).toEqual({
      kind: 'tool',
      tool: 'report_missing_delivery',
      args: { orderId: 'ORD-10421' },
    });
    // "how long" about something else of it is not its delivery.
    expect(
      shownOrderMove('how long can I keep it before returning?', predicted('out_of_scope'), 'ORD-10421'),
    ).toBeUndefined();
    // Without "it" / "that order" it is not about the order shown.
    expect(
      shownOrderMove('how long does shipping take?', predicted('out_of_scope'), 'ORD-10421'),
    ).toBeUndefined();
    expect(shownOrderMove('is it open on sunday?', predicted('out_of_scope'), 'ORD-10421')).toBeUndefined();
  });
});

describe('"which ticket?" for a ticket write without its ticket', () => {
  const note = parseTicketRequest('add a note to it: customer called back')!;
  const resolve = parseTicketRequest('mark it as resolved: replacement sent')!;
  const waitingFor = (tool: 'update_ticket' | 'assign_ticket', args: Record<string, unknown>) =>
    waiting({
      intent: tool === 'assign_ticket' ? 'assign_ticket' : 'update_ticket',
      slot: 'ticketId',
      ticketRequest: { tool, args },
    });

  it('a note or an update with its ticket is the tool call; without one the question, keeping the request', () => {
    expect(ticketRequestMove(note, 'TKT-000004')).toEqual({
      kind: 'tool',
      tool: 'update_ticket',
      args: { ticketId: 'TKT-000004', comment: 'customer called back' },
    });
    expect(ticketRequestMove(resolve, undefined)).toEqual({
      kind: 'ask',
      slot: {
        intent: 'update_ticket',
        slot: 'ticketId',
        ticketRequest: { tool: 'update_ticket', args: { status: 'resolved', comment: 'replacement sent' } },
      },
      question: 'askWhichTicket',
    });
  });

  it('the ticket named next completes the waiting request: an id, a bare number, an assignment too', () => {
    const pending = waitingFor('update_ticket', { comment: 'customer called back' });
    expect(
      slotAnswer(pending, 'TKT-000004', predicted('ticket_status'), { ticketId: 'TKT-000004' }, false, false),
    ).toEqual({
      kind: 'tool',
      tool: 'update_ticket',
      args: { comment: 'customer called back', ticketId: 'TKT-000004' },
    });
    // "1234" while the bot waits for a ticket is that ticket (normaliseIds, then the extractor pads it).
    expect(normaliseIds('1234', 'ticketId')).toBe('TKT-1234');
    expect(normaliseIds('tck-12')).toBe('TKT-12');
    const assign = waitingFor('assign_ticket', { assignee: 'me' });
    expect(
      slotAnswer(
        assign,
        "it's ticket 7",
        predicted('ticket_status'),
        { ticketId: 'TKT-000007' },
        false,
        false,
      ),
    ).toEqual({
      kind: 'tool',
      tool: 'assign_ticket',
      args: { assignee: 'me', ticketId: 'TKT-000007' },
    });
  });

  it('a list asked for in between is shown and the request keeps waiting', () => {
    const pending = waitingFor('update_ticket', { status: 'resolved' });
    const { askedAt: _askedAt, ...slot } = pending;
    expect(slotAnswer(pending, 'show me open tickets', predicted('ticket_status'), {}, false, false)).toEqual(
      {
        kind: 'tool',
        tool: 'list_my_tickets',
        args: { scope: 'queue' },
        pending: slot,
      },
    );
  });

  it('a longer message naming a ticket is a new request: the write is not applied to it', () => {
    const pending = waitingFor('update_ticket', { status: 'closed' });
    expect(
      slotAnswer(
        pending,
        'what is the status of TKT-000004 right now?',
        predicted('ticket_status'),
        { ticketId: 'TKT-000004' },
        false,
        false,
      ),
    ).toEqual({ kind: 'again' });
  });

  it("a question about a ticket's notes or history reads its card; a note to add is no such question", () => {
    for (const text of [
      'what does the note on TKT-000001 say?',
      'any comments on that ticket?',
      'show me the history of it',
      'can you show the notes on ticket 4',
    ])
      expect(asksForTicketNotes(text)).toBe(true);
    for (const text of ['my order has a note on the box', 'add a note to it: called back'])
      expect(asksForTicketNotes(text)).toBe(false);
  });

  it('the question asked again after a digression is "which ticket?"', () => {
    const questions = { askWhichTicket: 'Which ticket?' } as SlotQuestions;
    expect(questionFor(waitingFor('update_ticket', {}), questions)).toBe('Which ticket?');
    expect(questionFor(waitingFor('assign_ticket', { assignee: 'me' }), questions)).toBe('Which ticket?');
  });
});
