import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startBot, type RunningBot } from '../../src/bot';
import { startPlayground, type RunningPlayground } from '../../scripts/playground';

export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results');

/** The bot (embedded mode), the Agents Playground pointed at it, and headless Debian Chromium. */
export interface E2eRig {
  bot: RunningBot;
  playground: RunningPlayground;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

export async function startRig(env: Record<string, string> = {}): Promise<E2eRig> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Embedded Cosmos data in a temp dir of its own (never the developer's `.data/cosmos`).
  const cosmosDir = mkdtempSync(path.join(tmpdir(), 'e2e-cosmos-'));
  const bot = await startBot(
    loadConfig({ HOST: '127.0.0.1', PORT: '0', EMBEDDED_DATA_DIR: cosmosDir, ...env }),
  );
  const playground = await startPlayground({
    botEndpoint: `${bot.url}/api/messages`,
    port: 0,
    logFile: path.join(SCREENSHOTS, 'playground.log'),
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(playground.url, { waitUntil: 'networkidle' });
  return {
    bot,
    playground,
    browser,
    page,
    stop: async () => {
      await browser.close().catch(() => undefined);
      await playground.stop();
      await bot.close();
      rmSync(cosmosDir, { recursive: true, force: true });
    },
  };
}

/** The Playground's message composer is a Lexical rich-text editor. */
export function composer(page: Page) {
  return page.locator('[data-lexical-editor="true"]').first();
}

export async function sendInChat(page: Page, text: string): Promise<void> {
  await composer(page).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
