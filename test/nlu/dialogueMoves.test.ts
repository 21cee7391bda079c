import { describe, expect, it } from 'vitest';
import {
  correctionMove,
  pointedBackMove,
  questionFor,
  slotAnswer,
  taskMove,
  whichOrderSlot,
  type PendingSlot,
  type SlotQuestions,
} from '../../src/nlu/dialogue';
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
