import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
// @ts-expect-error: a plain .mjs module without types
import { ensureSystemCommands } from '../../scripts/system-packages.mjs';

/**
 * Firefox beside Chromium: Debian's firefox-esr (scripts/system-packages.mjs installs it), driven by
 * puppeteer-core over WebDriver BiDi. Playwright drives only its own patched Firefox, which cannot be
 * downloaded here; puppeteer speaks BiDi to a stock one.
 */

/** Prefs that make Firefox what the tests need: fake devices granted without a prompt, video that plays at once, loopback ICE. */
export const FIREFOX_PREFS: Record<string, unknown> = {
  // The fake camera (a moving pattern) and microphone (a tone), with no permission prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // Remote video plays without a user gesture (the elements and the samples set autoplay).
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // Host candidates on loopback, as real addresses rather than mDNS names Chromium would have to resolve.
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // No traffic to hosts the machine cannot reach.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'app.update.enabled': false,
};

/** The Firefox the tests drive: $FIREFOX_PATH, else Debian's firefox-esr, installed when missing and possible. */
export function ensureFirefox(): string {
  return (ensureSystemCommands as (names: string[]) => Record<string, string>)(['firefox']).firefox!;
}

/** Launches headless Firefox with the prefs above. Close it with closeFirefox. */
export async function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: ensureFirefox(),
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
    // The test's own teardown closes it; no signal handlers left on the test process.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    protocolTimeout: 120_000,
  });
}

/**
 * Closes Firefox, and kills its process group when a polite close does not finish in time (a hung
 * content process must not outlive the test file).
 */
export async function closeFirefox(browser: Browser | undefined, timeoutMs = 20_000): Promise<void> {
  if (!browser) return;
  const child = browser.process();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([
    browser.close().then(
      () => 'closed' as const,
      () => 'failed' as const,
    ),
    timedOut,
  ]);
  clearTimeout(timer);
  if (outcome !== 'closed' && child?.pid !== undefined && child.exitCode === null) {
    // puppeteer starts Firefox detached, in a process group of its own: end the whole group.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
}

/** A fresh context (its own cookies and storage: another "person") and a page in it. */
export async function newFirefoxPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`[firefox page error] ${String(err)}\n`));
  // tsx (esbuild) wraps named functions in __name(); the functions the tests pass to evaluate need it defined.
  await page.evaluateOnNewDocument('globalThis.__name ??= (f) => f');
  return { context, page };
}
