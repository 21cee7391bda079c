import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotUnderTest, type BotUnderTest } from '../helpers/bot';
import { personalConversation } from '../helpers/activities';
import { cardsOf, findExecuteAction, shownText } from '../helpers/cards';

/**
 * A problem the documents have no fix for ("my laptop screen is flickering") is met with the offer
 * of a ticket, and "yes" drafts it from what was reported; a question without an answer is not.
 */
let t: BotUnderTest;
beforeAll(async () => {
  t = await startBotUnderTest({ RATE_LIMIT_USER_PER_MIN: '10000' });
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

const OFFER = /shall I open a support ticket about it\?/i;
const draftOf = (calls: Awaited<ReturnType<BotUnderTest['say']>>) =>
  calls.flatMap(cardsOf).find((card) => findExecuteAction(card, 'ticket.confirm'));

describe('a reported problem with no fix in the documents', () => {
  it('is offered a ticket, and "yes" drafts one from the problem as reported', async () => {
    const conv = personalConversation();
    const offered = await t.say(conv, 'my laptop screen is flickering, can someone help');
    expect(shownText(offered)).toMatch(OFFER);
    expect(draftOf(offered)).toBeUndefined();
    const drafted = await t.say(conv, 'yes please');
    const draft = draftOf(drafted);
    expect(draft).toBeDefined();
    expect(JSON.stringify(draft)).toMatch(/flickering/);
  });

  it('more detail after the offer becomes the ticket text', async () => {
    const conv = personalConversation();
    expect(shownText(await t.say(conv, 'the printer on floor 2 keeps jamming'))).toMatch(OFFER);
    const drafted = await t.say(conv, 'it jams on every second page since Monday and shows error E42');
    expect(JSON.stringify(draftOf(drafted))).toMatch(/error E42/);
  });

  it('a detail after the draft that mentions "morning" is not taken for a greeting', async () => {
    const conv = personalConversation();
    expect(shownText(await t.say(conv, 'my laptop keeps freezing, can somebody help'))).toMatch(OFFER);
    expect(draftOf(await t.say(conv, 'yes please'))).toBeDefined();
    const reply = shownText(await t.say(conv, 'it happens every morning after login'));
    expect(reply).not.toMatch(/^Hello!/);
    expect(reply).not.toBe('');
  });

  it('"no thanks" after the offer drafts nothing', async () => {
    const conv = personalConversation();
    expect(shownText(await t.say(conv, 'my headset keeps disconnecting'))).toMatch(OFFER);
    const declined = await t.say(conv, 'no thanks');
    expect(draftOf(declined)).toBeUndefined();
    expect(shownText(declined)).not.toMatch(OFFER);
  });

  it('a question the documents do not answer gets the plain refusal, no ticket offer', async () => {
    const reply = shownText(
      await t.say(personalConversation(), 'where can I find the wifi password for guests'),
    );
    expect(reply).toMatch(/couldn't find/);
    expect(reply).not.toMatch(OFFER);
  });
});
