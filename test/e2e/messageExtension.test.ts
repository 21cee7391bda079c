import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, startRig, type E2eRig } from './playground';
import { ME_COMMANDS } from '../../src/teams/messageExtension';

/**
 * The compose-box search in the Agents Playground (0.2.28). The Playground does not read the app
 * manifest, so the command id and parameter name are typed into its "Specify Command ID or
 * Parameter" panel, as a developer would. It sends composeExtension/query and lists the results'
 * previews; it does NOT support the preview's tap (composeExtension/selectItem: "tap action is not
 * supported yet") nor drawing link-unfurling previews, so those are tested only through the real
 * server (test/teams/messageExtension.test.ts). Clicking a result inserts its card as it is.
 *
 * SKIPPED, NOT WORKING YET: its one run (headless Chromium, loaded 2-core machine) found the
 * menu, the command-id panel and the search box, but no result appeared within 30 s, and the
 * Playground's log file records no invokes either way, so it is not known whether the query
 * reached the bot. The second test also found the command-id panel closed (its open state is
 * kept between searches). Next step: run it once headed and watch the Playground's log panel.
 */
let rig: E2eRig;

beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.stop();
});

async function openSearch(page: E2eRig['page'], commandId: string) {
  await page.getByText('Personal Chat').first().click();
  await page.getByRole('button', { name: 'Trigger Message Extension App' }).first().click();
  await page.getByRole('menuitem', { name: 'Search Command' }).click();
  await page.getByText('Specify Command ID or Parameter').click();
  await page.getByPlaceholder('Command ID').fill(commandId);
  await page.getByPlaceholder('Parameter name').fill('query');
}

describe.skip('Agents Playground: message extension search', () => {
  it('searches the knowledge base from the compose box and inserts a snippet with its source', async () => {
    const { page } = rig;
    await openSearch(page, ME_COMMANDS.knowledge);
    await page.getByPlaceholder('Enter a search term').fill('return an item');
    const result = page.getByText(/Returns and refunds policy/).first();
    await result.waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'message-extension-search.png') });
    await result.click();
    const card = page.locator('.ac-adaptiveCard', { hasText: 'Returns and refunds policy' }).last();
    await card.waitFor({ timeout: 15_000 });
    expect(await card.innerText()).toMatch(/returns-and-refunds\.md/);
  });

  it("lists the default user's own orders (Alex) and no one else's", async () => {
    const { page } = rig;
    await page.keyboard.press('Escape');
    await openSearch(page, ME_COMMANDS.orders);
    await page.getByPlaceholder('Enter a search term').fill('ORD');
    await page.getByText('ORD-10421').first().waitFor({ timeout: 30_000 });
    expect(await page.getByText('ORD-10430').count()).toBe(0);
  });
});
