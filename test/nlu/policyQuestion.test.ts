import { describe, expect, it } from 'vitest';
import { asksAboutPolicy, routePolicyQuestion } from '../../src/nlu/policyQuestion';

const predicted = (intent: string, confidence = 0.9) => ({
  intent,
  confidence,
  ranking: [
    { intent, score: confidence },
    { intent: 'knowledge_question', score: 0.05 },
  ],
});

describe('policy questions worded like order actions', () => {
  it('reads a topic named on its own as a question about the policy', () => {
    for (const text of ['Returns?', 'refunds', 'the return policy', 'shipping costs', 'warranty info'])
      expect(asksAboutPolicy(text), text).toBe(true);
  });

  it('reads questions about thresholds and what is free as questions about the policy', () => {
    for (const text of [
      'From what amount is delivery free?',
      'is standard shipping free?',
      "what's the minimum spend for free delivery",
    ])
      expect(asksAboutPolicy(text), text).toBe(true);
  });

  it('reads what the rule does in a case ("if I buy…", "do you ship to…") as a question about the policy', () => {
    for (const text of [
      'If I buy before lunch, is it shipped the same day?',
      'do you deliver parcels to Mexico?',
      'would you post to an address abroad',
    ])
      expect(asksAboutPolicy(text), text).toBe(true);
    // The same words about the asker's own order, or a request to send something, stay actions.
    for (const text of [
      'if I order ORD-10421 again, is it shipped today?',
      'can you send my order to my office',
      'can you send me the invoice',
    ])
      expect(asksAboutPolicy(text), text).toBe(false);
  });

  it('leaves requests about the user’s own order, and bare requests, to the intent model', () => {
    for (const text of [
      'return',
      'refund',
      'is shipping free for my order?',
      'what is the total of ORD-10421',
      'where is my parcel',
      'I want to return the jacket I bought',
    ])
      expect(asksAboutPolicy(text), text).toBe(false);
  });

  it('relabels only order actions, keeping the confidence', () => {
    const routed = routePolicyQuestion('refunds', predicted('start_return', 0.8));
    expect(routed.intent).toBe('knowledge_question');
    expect(routed.confidence).toBe(0.8);
    expect(routed.ranking[0]).toEqual({ intent: 'knowledge_question', score: 0.8 });
    expect(routed.ranking.filter((r) => r.intent === 'knowledge_question')).toHaveLength(1);
    expect(routePolicyQuestion('refunds', predicted('request_human')).intent).toBe('request_human');
    expect(routePolicyQuestion('where is my order', predicted('order_status')).intent).toBe('order_status');
  });
});

describe('deadline questions that say when something was bought', () => {
  it('are questions about the return window unless the user names their own order', () => {
    for (const text of [
      'we bought presents in mid-December, can we still return them in January?',
      'is it too late to send back something I purchased in October',
      'how long do I have to return a gift from November?',
    ])
      expect(asksAboutPolicy(text), text).toBe(true);
    for (const text of [
      'return the order from 3 November',
      'is it too late to return my order from November?',
      'can I still return ORD-10388?',
    ])
      expect(asksAboutPolicy(text), text).toBe(false);
  });
});

describe('questions for a deadline or for the state an item may go back in', () => {
  it('a deadline asked in so many words is the rule, even with "my order" in it; an order id is that order', () => {
    for (const text of [
      'by when must I have changed the delivery address of my order?',
      'how long do we have to send our parcel back',
      'is there a time limit for cancelling my order?',
    ])
      expect(asksAboutPolicy(text), text).toBe(true);
    for (const text of ['until when can I change the address of ORD-10421?', 'where is my order'])
      expect(asksAboutPolicy(text), text).toBe(false);
  });

  it('what usually happens is the rule, even with "my parcel" in it; an order id or no "usually" is that order', () => {
    for (const text of [
      'when does my package usually get here?',
      'how long do my deliveries normally take',
      'how many days does a refund to my card typically need?',
    ])
      expect(asksAboutPolicy(text), text).toBe(true);
    for (const text of [
      'when will my parcel arrive?',
      'when does ORD-10421 usually arrive?',
      'I usually get my orders fast, where is this one?',
    ])
      expect(asksAboutPolicy(text), text).toBe(false);
  });

  it('whether an item in some state may still go back is the return policy, not a return', () => {
    for (const text of [
      "I've worn the sandals once, can I still send them back?",
      'the labels are off the dress, could it go back?',
      'can we return a personalized phone case',
      'is an unboxed kettle returnable',
    ])
      expect(asksAboutPolicy(text), text).toBe(true);
    for (const text of [
      'I wore my jacket once, can I return it?',
      'I want to return the kettle',
      'can I return ORD-10388, I opened it',
    ])
      expect(asksAboutPolicy(text), text).toBe(false);
    expect(
      routePolicyQuestion('can I send back sandals I tried on?', predicted('start_return', 0.6)).intent,
    ).toBe('knowledge_question');
  });
});

describe('Chinese policy questions', () => {
  it('reads how long / how much without an own order as a question for the documents', () => {
    for (const text of ['退货一般几天能退款', '次日达要多少钱', '国际件大概多长时间到', '退换货收费吗'])
      expect(asksAboutPolicy(text), text).toBe(true);
    expect(routePolicyQuestion('退货一般几天能退款', predicted('start_return')).intent).toBe(
      'knowledge_question',
    );
  });

  it('keeps the action when the user names their own order or a request without a rule question', () => {
    for (const text of [
      '我的快递多久能到',
      '我买的鞋子几天能退款',
      '订单10421多久到',
      '我想退货',
      '帮我取消订单',
    ])
      expect(asksAboutPolicy(text), text).toBe(false);
  });
});
