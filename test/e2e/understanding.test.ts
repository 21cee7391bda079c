import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, sendInChat, startRig, type E2eRig } from './playground';

/**
 * The examples of the understanding issue (#12), typed by Alex (the Playground's user,
 * .m365agentsplayground.yml) into the personal chat of the Agents Playground in headless Chromium.
 */
let rig: E2eRig;

beforeAll(async () => {
  rig = await startRig();
  await rig.page.getByText('Personal Chat').first().click();
});
afterAll(async () => {
  await rig?.stop();
});

/** Sends `text` and waits until one more element matches `reply` than before it was sent. */
async function sayAndSee(text: string, reply: Locator, screenshot: string): Promise<string> {
  const before = await reply.count();
  await sendInChat(rig.page, text);
  try {
    await expect.poll(() => reply.count(), { timeout: 30_000, interval: 100 }).toBeGreaterThan(before);
  } finally {
    await rig.page.screenshot({ path: path.join(SCREENSHOTS, `${screenshot}.png`) });
  }
  return reply.last().innerText();
}

const orderCard = (id: string) =>
  rig.page.locator('.ac-adaptiveCard', { hasText: id }).filter({ hasNotText: 'I am the Service Bot' });

describe('Agents Playground: conversations that bend (#12)', () => {
  it('a question inside the order flow is answered and the flow resumes; an order named by its item and a correction resolve', async () => {
    const { page } = rig;
    await sayAndSee('I want to check an order', page.getByText(/Which order number\?/), 'bend-ask-order');
    // The digression gets the return procedure, then the question again.
    const resumed = await sayAndSee(
      'actually first, how do I return an item?',
      page.getByText(/Now, which order number\?/),
      'bend-digression',
    );
    expect(resumed).toMatch(/Now, which order number\?/);
    expect(await page.getByText('Sign in to your account and open Orders').last().isVisible()).toBe(true);
    // "the one with the monitor": Alex's ORD-10422, the only order of his with a monitor.
    const monitor = await sayAndSee('the one with the monitor', orderCard('ORD-10422'), 'bend-by-item');
    expect(monitor).toMatch(/monitor/i);
    const corrected = await sayAndSee('sorry, I meant ORD-10388', orderCard('ORD-10388'), 'bend-correction');
    expect(corrected).toMatch(/headset/i);
  });
});

describe('Agents Playground: answers from the right document (#12)', () => {
  it('"What is the warranty on laptops?" is answered from the warranty document', async () => {
    const text = await sayAndSee(
      'What is the warranty on laptops?',
      rig.page.getByText(/2-year limited warranty/),
      'answer-warranty',
    );
    expect(text).toMatch(/2-year limited warranty against defects/);
    // Not the IT guide's laptop sentences.
    expect(text).not.toMatch(/IT service desk|service desk/i);
  });

  it('a misspelt "retrun a jaket" gets the return window', async () => {
    const text = await sayAndSee(
      'retrun a jaket',
      rig.page.getByText(/within 30 days of delivery/),
      'answer-typos',
    );
    expect(text).toMatch(/return an unused item within 30 days of delivery/);
  });
});
