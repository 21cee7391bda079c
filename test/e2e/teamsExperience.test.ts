import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, sendInChat, startRig, type E2eRig } from './playground';

/** Feedback clicks and compose-box search in the Agents Playground (0.2.28), headless Chromium. */
let rig: E2eRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
});

async function feedbackCount(reaction: 'like' | 'dislike'): Promise<number> {
  const body = await (await fetch(`${rig.bot.url}/metrics`)).text();
  const m = new RegExp(`^bot_feedback_total\\{reaction="${reaction}"\\} (\\d+)`, 'm').exec(body);
  return m ? Number(m[1]) : 0;
}

describe('Agents Playground: first run', () => {
  it('reloading the page of an empty chat shows the welcome card again', async () => {
    const { page } = rig;
    const welcome = page.getByText('Hi, I am the Service Bot');
    await expect.poll(() => welcome.count(), { timeout: 30_000 }).toBe(1);
    // The Playground keeps no history across a reload and posts installationUpdate +
    // conversationUpdate again for the same conversation id (src/teams/welcomePolicy.ts).
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => welcome.count(), { timeout: 30_000 }).toBe(1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'welcome-after-reload.png') });
  });
});

describe('Agents Playground: feedback', () => {
  it('a thumbs up with text on an answer is stored and counted', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    const buttons = page.locator('.fai-FeedbackButtons');
    const before = await buttons.count();
    await sendInChat(page, 'How long do card refunds take to appear on my statement?');
    await expect.poll(() => buttons.count(), { timeout: 30_000 }).toBe(before + 1);
    const likes = await feedbackCount('like');

    await buttons.last().locator('.fai-FeedbackButtons__positiveFeedbackButton').click();
    // The Playground asks "What did you like?" in a dialog, then sends the invoke on Submit. Its
    // client sends {name, from, conversation, value} without the message id (no replyToId); the bot
    // then rates the 1:1 chat's latest answer (src/teams/feedbackRoute.ts).
    await page.getByPlaceholder(/Give as much detail/).fill('Clear answer');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('We appreciate your feedback.').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'feedback-submitted.png') });
    await page.getByRole('dialog').getByRole('button', { name: /close/i }).first().click();
    await page.locator('.fui-DialogSurface__backdrop').waitFor({ state: 'detached', timeout: 10_000 });

    await expect.poll(() => feedbackCount('like'), { timeout: 10_000 }).toBe(likes + 1);
    const stored = await rig.bot.stores.transcripts.listFeedback();
    const mine = stored.filter((r) => r.feedback.feedback.text === 'Clear answer');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.feedback.feedback).toMatchObject({ reaction: 'like', answerInferred: true });
    expect(mine[0]!.turn?.entries.find((e) => e.kind === 'user_message')?.text).toBe(
      'How long do card refunds take to appear on my statement?',
    );
  });
});

describe('Agents Playground: compose-box search', () => {
  /**
   * The Playground sends the query and the bot answers it correctly, but Playground 0.2.28 shows
   * no results: its client refuses a result list in which any preview has a `tap` action (it logs
   * "Search-based message extension tap action is not supported yet" and shows "Unable to reach
   * app"), and the bot's previews carry a tap so that Teams sends composeExtension/selectItem,
   * where the item is verified and fetched again. So this test asserts what the Playground can:
   * the invoke reaches the bot, the bot's response (read off the Playground's own HTTP traffic)
   * lists the right results with RBAC trimming, and the Playground's warning names the gap.
   */
  async function search(commandId: string, query: string) {
    const { page } = rig;
    // On a loaded machine the dialog sometimes renders without its parameter field (seen once in a
    // full CI run); it is closed and opened again until the field is there (at most three times).
    for (let attempt = 1; ; attempt++) {
      await page.getByText('Personal Chat').first().click();
      await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
      await page.getByText('Search Command').first().click();
      await page.getByText('Specify Command ID or Parameter').click();
      await page.getByPlaceholder('Command ID').fill(commandId);
      try {
        await page.getByPlaceholder('Parameter name').fill('query', { timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await page.keyboard.press('Escape');
      }
    }
    const answered = page.waitForResponse(
      async (r) =>
        r.url().endsWith('/_conversation/v1/invoke') &&
        (r.request().postData() ?? '').includes(JSON.stringify({ name: 'query', value: query })),
      { timeout: 30_000 },
    );
    await page.getByPlaceholder('Enter a search term').fill(query);
    const res = await answered;
    expect(res.status()).toBe(200);
    return (await res.json()) as { composeExtension: { type: string; attachments?: any[]; text?: string } };
  }

  it('searchOrders: the bot answers with the caller’s own order; the Playground cannot show tap results', async () => {
    const body = await search('searchOrders', 'ORD-10421');
    expect(body.composeExtension.type).toBe('result');
    const attachments = body.composeExtension.attachments ?? [];
    expect(attachments.map((a) => a.preview?.content?.title)).toEqual(['ORD-10421']);
    expect(JSON.stringify(attachments[0].content)).toContain('ORD-10421');
    await rig.page
      .getByText('Search-based message extension tap action is not supported yet')
      .first()
      .waitFor({ timeout: 10_000 });
    await rig.page.screenshot({ path: path.join(SCREENSHOTS, 'me-search-orders.png') });
    await rig.page.keyboard.press('Escape');
  });

  it('searchKnowledge: public snippets for Alex, never the HR handbook', async () => {
    const refunds = await search('searchKnowledge', 'card refunds');
    expect(refunds.composeExtension.type).toBe('result');
    expect(JSON.stringify(refunds.composeExtension.attachments)).toMatch(/return/i);
    await rig.page.keyboard.press('Escape');
    const leave = await search('searchKnowledge', 'annual leave days per year');
    expect(JSON.stringify(leave.composeExtension)).not.toMatch(/handbook/i);
    await rig.page.keyboard.press('Escape');
  });
});
