import { describe, expect, it } from 'vitest';
import { ticketFromShown } from '../../src/nlu/ticketReference';

describe('ticketFromShown', () => {
  const list = ['TKT-000003', 'TKT-000002', 'TKT-000001'];

  it.each([
    ["I'll take the first one", 'TKT-000003'],
    ['assign the second ticket to me', 'TKT-000002'],
    ['give me the 3rd one', 'TKT-000001'],
    ['the last one please', 'TKT-000001'],
    ['第二个我来处理', 'TKT-000002'],
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
