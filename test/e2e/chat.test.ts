import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, composer, sendInChat, startRig, type E2eRig } from './playground';
import { replies } from '../../src/replies';

/** A person chatting with the bot in the Agents Playground, in headless Chromium. */
let rig: E2eRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
});

/** The bot's help reply as rendered in the conversation (the log panel shows it in spans, not paragraphs). */
const helpReplies = (page: E2eRig['page']) =>
  page.locator('p', { hasText: 'I can help with orders, support tickets and questions' });

/** Log panel lines for messages the bot sent with the help text. */
const replyLogEntries = (page: E2eRig['page']) =>
  page
    .getByText(/User Application -> Microsoft 365 Agents Playground\s*$/)
    .locator('..')
    .filter({
      hasText: 'I can help with orders',
    });

describe('Agents Playground', () => {
  it('personal chat: sends a message and shows the bot reply', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    await sendInChat(page, 'help');
    const reply = helpReplies(page).last();
    await reply.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'personal-chat.png') });
    expect(await reply.isVisible()).toBe(true);
  });

  it('team channel: @mentioning the bot gets a reply', async () => {
    const { page } = rig;
    await page.getByText('General').first().click();
    await page.getByText('Start a new post').waitFor();
    const before = await replyLogEntries(page).count();
    await composer(page).click();
    await page.keyboard.type('@');
    await page.getByRole('menuitem', { name: 'Service Bot' }).click();
    await page.keyboard.type(' help');
    await page.getByRole('button', { name: 'Post' }).click();
    // The post carries the mention...
    await page
      .locator('p, span', { hasText: /^\s*help\s*$/ })
      .first()
      .waitFor({ timeout: 10_000 });
    // ...and the bot's reply reaches the Playground, shown in its log panel. (Playground 0.2.28
    // does not draw a bot's threaded reply in the channel pane, so the log panel is where it shows.)
    await expect.poll(() => replyLogEntries(page).count(), { timeout: 30_000 }).toBeGreaterThan(before);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'channel-mention.png') });
  });
});

describe('Agents Playground: orders and tickets', () => {
  it('asks for an order status and sees the order card', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    await sendInChat(page, 'where is my order ORD-10421?');
    // The card renders the order number as a heading and its status.
    const card = page
      .locator('.ac-adaptiveCard', { hasText: 'ORD-10421' })
      .filter({ hasNotText: 'I am the Service Bot' })
      .last();
    await card.waitFor({ timeout: 30_000 });
    expect((await card.innerText()).toLowerCase()).toContain('shipped');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'order-card.png') });
  });

  it('opens a ticket and clicks Confirm: the card is refreshed with the ticket number', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    await sendInChat(page, 'open a ticket: the zipper on my new jacket broke after one day');
    const draft = page.locator('.ac-adaptiveCard', { hasText: /zipper/i }).last();
    await draft.waitFor({ timeout: 30_000 }).catch(async (err) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'ticket-draft-missing.png') });
      throw err;
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ticket-draft.png') });
    await draft.getByRole('button', { name: /Confirm/i }).click();
    // The draft card is replaced in place by the created ticket (Universal Actions refresh).
    const created = page.locator('.ac-adaptiveCard', { hasText: /Ticket TKT-\d{6} created/ }).last();
    await created.waitFor({ timeout: 30_000 });
    expect(await created.innerText()).toMatch(/zipper/i);
    expect(await page.locator('.ac-adaptiveCard', { hasText: 'Review your ticket' }).count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ticket-created.png') });
    expect(await created.innerText()).toMatch(/TKT-\d{6}/);
  });

  it('starts a return and clicks Confirm return: the card is refreshed with the RMA number', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    await sendInChat(page, 'I want to return ORD-10388 because the headset crackles');
    const offer = page.locator('.ac-adaptiveCard', { hasText: /Return items from order ORD-10388/ }).last();
    await offer.waitFor({ timeout: 30_000 }).catch(async (err) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'return-card-missing.png') });
      throw err;
    });
    expect(await offer.innerText()).toMatch(/Noise-cancelling headset/);
    await offer.getByRole('button', { name: /Confirm return/i }).click();
    const requested = page.locator('.ac-adaptiveCard', { hasText: /Return RMA-\d{6} requested/ }).last();
    await requested.waitFor({ timeout: 30_000 });
    expect(await requested.innerText()).toMatch(/TKT-\d{6}/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'return-requested.png') });
  });
});

describe('Agents Playground: AI answers', () => {
  it('shows the feedback buttons (thumbs up/down) under a knowledge answer', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    const buttons = page.locator('.fai-FeedbackButtons');
    const before = await buttons.count();
    await sendInChat(page, 'How long do card refunds take to appear on my statement?');
    await page
      .locator('p', { hasText: '5 to 10 business days' })
      .last()
      .waitFor({ timeout: 30_000 })
      .catch(async (err) => {
        await page.screenshot({ path: path.join(SCREENSHOTS, 'feedback-answer-missing.png') });
        throw err;
      });
    // The answer's message (channelData.feedbackLoopEnabled) gets Like / Dislike; the help text and
    // cards the bot sent before do not.
    await expect.poll(() => buttons.count(), { timeout: 10_000 }).toBe(before + 1);
    const latest = buttons.last();
    expect(await latest.locator('.fai-FeedbackButtons__positiveFeedbackButton').isVisible()).toBe(true);
    expect(await latest.locator('.fai-FeedbackButtons__negativeFeedbackButton').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'feedback-buttons.png') });
    // A click and its storage: test/e2e/teamsExperience.test.ts.
  });
});

describe('Agents Playground: streamed answers', () => {
  it('a knowledge question in the personal chat streams: the informative update, then the cited answer', async () => {
    const { page } = rig;
    await page.getByText('Personal Chat').first().click();
    const informative = page.getByText(replies.streamSearching);
    const shownBefore = await informative.count();
    await sendInChat(page, 'How do I return an item?');
    // teams-ai keeps the informative update up for 1.5 s before the answer replaces it.
    await expect
      .poll(() => informative.count(), { timeout: 30_000, interval: 100 })
      .toBeGreaterThan(shownBefore);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stream-informative.png') });
    // The final message replaces it in place: the return procedure from the returns page, whole and
    // in order (its [1] markers are drawn as citation buttons, so the check uses the step texts).
    const first = page.getByText('Sign in to your account and open Orders').last();
    await first.waitFor({ timeout: 30_000 }).catch(async (err) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, 'stream-final-missing.png') });
      throw err;
    });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stream-final.png') });
    expect(
      await page
        .getByText(/Drop the parcel at any partner carrier location/)
        .last()
        .isVisible(),
    ).toBe(true);
  });
});
