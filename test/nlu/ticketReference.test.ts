import { describe, expect, it } from 'vitest';
import { placeInShown, ticketFromShown } from '../../src/nlu/ticketReference';

describe('ticketFromShown', () => {
  const list = ['TKT-000003', 'TKT-000002', 'TKT-000001'];

  it.each([
    ["I'll take the first one", 'TKT-000003'],
    ['assign the second ticket to me', 'TKT-000002'],
    ['give me the 3rd one', 'TKT-000001'],
    ['the last one please', 'TKT-000001'],
    ['第二个我来处理', 'TKT-000002'],
    // The list is newest first.
    ["what's the oldest one about?", 'TKT-000001'],
    ['assign the newest ticket to me', 'TKT-000003'],
  ])('"%s" names %s of the list shown', (text, id) => expect(ticketFromShown(text, list)).toBe(id));

  it('a place beyond the list, or "that ticket" among several, names none', () => {
    expect(ticketFromShown('the fifth one', list)).toBeUndefined();
    expect(ticketFromShown("what's the latest on that ticket", list)).toBeUndefined();
    expect(ticketFromShown('the first one', [])).toBeUndefined();
  });

  it('"that ticket" / "it" is the one ticket shown', () => {
    expect(ticketFromShown("what's the latest on that ticket", ['TKT-000009'])).toBe('TKT-000009');
    expect(ticketFromShown("I'll take it", ['TKT-000009'])).toBe('TKT-000009');
    expect(ticketFromShown('take over', ['TKT-000009'])).toBeUndefined();
  });

  it('places count in the list a card was opened from; "it" is the card', () => {
    const card = ['TKT-000002'];
    expect(ticketFromShown('comment on the second one', card, list)).toBe('TKT-000002');
    expect(ticketFromShown('the first one', card, list)).toBe('TKT-000003');
    expect(ticketFromShown('note on it', card, list)).toBe('TKT-000002');
  });
});

describe('placeInShown (an order picked from "Which order do you mean?")', () => {
  const offered = ['ORD-10395', 'ORD-10388'];

  it.each([
    ['the first one', 'ORD-10395'],
    ['the second order', 'ORD-10388'],
    ['the last one', 'ORD-10388'],
    ['第二个', 'ORD-10388'],
    ['第一个吧', 'ORD-10395'],
  ])('"%s" is %s, in the order listed', (text, id) => expect(placeInShown(text, offered)).toBe(id));

  it('names nothing without a place, or with one beyond the list', () => {
    expect(placeInShown('the headset one', offered)).toBeUndefined();
    expect(placeInShown('the third one', offered)).toBeUndefined();
    expect(placeInShown('my headphones broke', offered)).toBeUndefined();
  });
});
