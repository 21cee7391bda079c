import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../src/nlu';
import { draftTicket } from '../../src/nlu/dialogue';

const draft = (text: string) => draftTicket(text, extractEntities(text));

describe('draftTicket (embedded model)', () => {
  it('titles the ticket with the user’s own first sentence, without the request wording', () => {
    expect(draft('open a ticket: the zipper on my new jacket broke after one day').title).toBe(
      'The zipper on my new jacket broke after one day',
    );
    expect(draft('Can you create a support ticket about a damaged mug. It arrived broken.').title).toBe(
      'A damaged mug',
    );
    // A priority word in front and the request behind the problem are not its title.
    expect(draft('urgent, my headset from ORD-10388 stopped charging, please open a ticket').title).toBe(
      'My headset from ORD-10388 stopped charging',
    );
    expect(draft('The VPN drops every hour. Can you open a ticket for me?').title).toBe(
      'The VPN drops every hour',
    );
    expect(draft('my headset broke after 3 weeks, what can I do?').title).toBe(
      'My headset broke after 3 weeks',
    );
    expect(draft('The parcel arrived with a broken handle on the mug').title).toBe(
      'The parcel arrived with a broken handle on the mug',
    );
  });

  it('keeps the whole message as the description and maps priority, category and order', () => {
    const text = 'please open a ticket, order ORD-10421 arrived damaged, this is urgent';
    const ticket = draft(text);
    expect(ticket.description).toBe(text);
    expect(ticket.priority).toBe('urgent');
    expect(ticket.orderId).toBe('ORD-10421');
    expect(ticket.category).toBe('order');
  });

  it('defaults to normal priority and the other category', () => {
    expect(draft('my badge does not open the door')).toMatchObject({ priority: 'normal', category: 'other' });
  });

  it("files an employee's laptop or payslip under technical or HR", () => {
    expect(draft('my laptop is super slow, can someone look at it').category).toBe('technical');
    expect(draft('my payslip for November shows the wrong tax class').category).toBe('hr');
  });
});
