import { describe, expect, it } from 'vitest';
import { soundsFrustrated } from '../../src/nlu/frustration';

describe('soundsFrustrated', () => {
  it.each([
    'this is useless',
    "I'm angry",
    'you’re not helping',
    'this bot is completely pointless',
    'what a waste of my time',
    'damn it, still wrong',
    'I am so fed up with this',
  ])('hears frustration in %j', (text) => expect(soundsFrustrated(text)).toBe(true));

  it.each([
    'where is order ORD-10421?',
    'can you help me with a return',
    'my package never arrived',
    'thanks, that was helpful',
    'what are your opening hours?',
  ])('not in %j', (text) => expect(soundsFrustrated(text)).toBe(false));
});
