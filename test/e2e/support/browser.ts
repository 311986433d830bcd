/**
 * Debian's headless Chromium for the web client's tests, driven by playwright-core (never the `playwright`
 * package, which downloads browsers): the system binary, no network of its own, a fresh profile per
 * browser, closed (and its profile removed) after the test. Tests skip with the reason when it is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or false when they can. */
export const noBrowser: string | false = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install chromium)`;

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OpenBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Messages the page logged as errors (a CSP violation shows up here). */
  readonly errors: string[];
}

/** One browser process with its own profile, and one page in it, at a phone's or a desktop's size. */
export async function openBrowser(
  t: TestContext,
  viewport: { width: number; height: number } = { width: 1100, height: 700 },
): Promise<OpenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'udpchat-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
    timeout: 20_000,
  });
  t.after(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}
