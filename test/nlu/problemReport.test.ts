import { describe, expect, it } from 'vitest';
import { describesProblem } from '../../src/nlu/problemReport';

describe('describesProblem', () => {
  it.each([
    'my laptop screen is flickering',
    "the vpn won't connect since this morning",
    'Outlook keeps crashing when I open attachments',
    'my badge is not working at the door',
    '打印机坏了',
    '电脑开不了机',
  ])('"%s" reports a problem', (text) => expect(describesProblem(text)).toBe(true));

  it.each([
    'what are your opening hours',
    'how many vacation days do I get',
    'do you ship to canada',
    '退货流程是什么',
  ])('"%s" is a question, not a problem report', (text) => expect(describesProblem(text)).toBe(false));
});
