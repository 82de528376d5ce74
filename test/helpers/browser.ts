import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
// @ts-expect-error: a plain .mjs module without types
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

/** Launches the system Chromium with the flags of the platform notes (fake camera and mic, loopback ICE). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: (ensureChromium as () => string)(),
    headless: true,
    args: [...(CHROMIUM_ARGS as string[]), ...extraArgs],
  });
}

/**
 * A fresh context (its own cookies and storage: another "person"), with camera and microphone
 * granted unless `permissions` says otherwise.
 */
export async function newPerson(
  browser: Browser,
  opts: { permissions?: string[]; origin?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ permissions: opts.permissions ?? ['camera', 'microphone'] });
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`[page error] ${err.message}\n`));
  return { context, page };
}
