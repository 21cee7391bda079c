import { describe, expect, it } from 'vitest';
import { expandCasualWriting } from '../../src/text/casualWriting';

describe('expandCasualWriting', () => {
  it('writes chat shorthand out, whole words only', () => {
    expect(expandCasualWriting('whats ur phone number')).toBe('what is your phone number');
    expect(expandCasualWriting('r u open on sundays? pls tell me')).toBe(
      'are you open on sundays? please tell me',
    );
    expect(expandCasualWriting('Whats the return window')).toBe('What is the return window');
  });

  it('leaves ids, names, abbreviations and other words alone', () => {
    expect(expandCasualWriting('cancel ord-10422, R&D asked, the U.S. store')).toBe(
      'cancel ord-10422, R&D asked, the U.S. store',
    );
    expect(expandCasualWriting('your order is urgent')).toBe('your order is urgent');
    expect(expandCasualWriting('我的订单 ORD-10421')).toBe('我的订单 ORD-10421');
  });
});
