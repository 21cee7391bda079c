import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation, users } from '../helpers/activities';
import { shownText } from '../helpers/cards';

/** "Which orders does Bea have?" is not answered with the asker's own list titled "Your orders". */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

it("a support agent asking for a customer's orders is asked for the number, which then shows that order", async () => {
  const conv = personalConversation(users.dana);
  const asked = shownText(await t.say(conv, 'which orders does Bea have', users.dana));
  expect(asked).toMatch(/I can only list your own orders/);
  expect(asked).not.toContain('Your orders');
  const shown = shownText(await t.say(conv, '10430', users.dana));
  expect(shown).toContain('Order ORD-10430');
  expect(shown).toContain('Bea Hansen');
});

it('"show my orders" still lists the asker\'s own', async () => {
  const shown = shownText(await t.say(personalConversation(users.alex), 'show my orders'));
  expect(shown).toContain('Your orders');
  expect(shown).toContain('ORD-10421');
});
