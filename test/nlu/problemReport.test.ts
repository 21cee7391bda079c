import { describe, expect, it } from 'vitest';
import {
  addsTicketDetail,
  answerSpeaksOfMishap,
  arrivedDamaged,
  describesProblem,
  mishapIn,
} from '../../src/nlu/problemReport';

describe('describesProblem', () => {
  it.each([
    'my laptop screen is flickering',
    "the vpn won't connect since this morning",
    'Outlook keeps crashing when I open attachments',
    'my badge is not working at the door',
    '打印机坏了',
    '电脑开不了机',
    'the wifi in the office is down',
    'my headset died after a week',
  ])('"%s" reports a problem', (text) => expect(describesProblem(text)).toBe(true));

  it.each([
    'what are your opening hours',
    'how many vacation days do I get',
    'do you ship to canada',
    '退货流程是什么',
    'can I slow down my subscription',
  ])('"%s" is a question, not a problem report', (text) => expect(describesProblem(text)).toBe(false));
});

describe('addsTicketDetail', () => {
  it.each([
    'it shows a blue screen since the update',
    'also the fan is really loud',
    'the error code is 0x0000007B',
    'since the update it restarts twice a day',
    'I already tried restarting it',
    '开机后一直蓝屏',
    '而且屏幕一直闪',
    'the left ear cup is dead',
    'my right speaker makes a crackling noise',
    'the hinge cracked when I opened it',
    'its making a buzzing noise',
    'it makes a clicking sound when I plug it in',
    'it wont turn on anymore',
  ])('"%s" is a detail about the problem', (text) => expect(addsTicketDetail(text)).toBe(true));

  it.each([
    'how long does standard shipping take?',
    'is it covered by the warranty?',
    'please open another ticket, the printer is jammed',
    'yes',
    'thanks',
    '好的',
    '开机要多久吗',
    'my order ORD-10421 is late',
    'the keyboard from ORD-10421 is missing a key',
    'where is my order',
    'its fine, never mind',
  ])('"%s" is not', (text) => expect(addsTicketDetail(text)).toBe(false));
});

describe('Chinese problem words', () => {
  it('match what the English list names (no sound, will not charge, crashes, slow, drops out)', () => {
    for (const text of [
      '音箱突然不响了',
      '鼠标充不上电',
      '软件老是闪退',
      '电脑特别卡，好卡',
      '会议时网络总掉线',
      '屏幕出现黑屏',
    ])
      expect(describesProblem(text), text).toBe(true);
    for (const text of ['礼品卡怎么用', '退货要几天', '我想买一个耳机'])
      expect(describesProblem(text), text).toBe(false);
  });
});

describe('mishaps with an order or a payment', () => {
  it.each([
    ['I was charged twice for my order', 'charged twice'],
    ['i got the wrong colour keyboard', 'got the wrong'],
    ['my discount code didn’t work'.replace('’', "'"), "discount code didn't work"],
    ['they sent me the wrong item', 'sent me the wrong'],
    ['我被扣了两次钱', '扣了两次'],
  ])('"%s" is a mishap (%s) and so a problem', (text, words) => {
    expect(mishapIn(text)).toBe(words);
    expect(describesProblem(text)).toBe(true);
  });

  it('is none in a question about the rules or a plain request', () => {
    for (const text of [
      'how do I return an item?',
      'what payment methods do you accept?',
      'where is ORD-10421',
    ])
      expect(mishapIn(text), text).toBeUndefined();
  });

  it('counts an answer as speaking of the mishap only by its telling words', () => {
    const wrong =
      'The original shipping cost is refunded only when the item was faulty or we sent the wrong item.';
    expect(answerSpeaksOfMishap('sent me the wrong', wrong)).toBe(true);
    const table =
      'Option: Standard; Delivery time: 3 to 5 business days; Cost: 5.95 USD, free on orders over 75 USD';
    expect(answerSpeaksOfMishap('charged twice', table)).toBe(false);
    expect(answerSpeaksOfMishap('扣了两次', '退款会在5到10个工作日内退回')).toBe(false);
  });
});

describe('arrivedDamaged', () => {
  it('hears a parcel that did arrive, in a bad state, apart from one that did not', () => {
    for (const text of [
      'package arrived damaged',
      'the box arrived wet and torn',
      'my parcel came crushed',
      '快递到的时候压坏了',
    ])
      expect(arrivedDamaged(text), text).toBe(true);
    for (const text of [
      'my parcel never arrived',
      'it says delivered but it is not here',
      'my headphones broke',
    ])
      expect(arrivedDamaged(text), text).toBe(false);
    expect(
      answerSpeaksOfMishap('arrived damaged', 'If your order arrives damaged, report it within 7 days.'),
    ).toBe(true);
    expect(answerSpeaksOfMishap('came crushed', 'Items that are faulty can be returned.')).toBe(true);
  });
});
