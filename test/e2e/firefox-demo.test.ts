import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { packageRoot } from '../../src/server/index.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { closeFirefox, launchFirefox, newFirefoxPerson } from '../helpers/firefox.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { preparePage } from './conference-fixture.js';
import { chromiumPage, fetchedScripts, firefoxPage, playsVideo, type BrowserPage } from './cross-browser.js';

/** The texts of one part of the messages in this page's chat. */
function chatTexts(part: string): string[] {
  const chat = document.querySelector('oovoo-conference oovoo-chat');
  return [...(chat?.shadowRoot?.querySelectorAll(`[part~="${part}"]`) ?? [])].map((el) => el.textContent ?? '');
}

/** The path to the video of `uid`'s tile in the demo's conference (see videoPlayback). */
const tileOf = (uid: string) => ['oovoo-conference', `oovoo-video-tile[participant="${uid}"]`, 'video'];

/** `sender` writes `body` in the chat (through `type`); `reader` shows it; `sender` then shows it Read. */
async function chatCrosses(
  sender: BrowserPage,
  reader: BrowserPage,
  body: string,
  type: (body: string) => Promise<void>,
): Promise<void> {
  await type(body);
  await waitFor(
    () => reader.run(chatTexts, 'body'),
    (bodies) => bodies.includes(body),
    {
      what: `${reader.name} shows "${body}"`,
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
  // Each side sends one message, so its one status is this message's.
  await waitFor(
    () => sender.run(chatTexts, 'status'),
    (states) => states.some((s) => /read/i.test(s)),
    {
      what: `${sender.name} shows "${body}" as Read`,
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
}

/**
 * demo/index.html (one script tag and the elements) with one person in Firefox and one in Chromium:
 * the call, the chat and its receipts work across the two engines, and only Firefox loads webrtc-adapter.
 */
describe('the markup-only demo with Firefox and Chromium', () => {
  let server: TestServer;
  let chromium: ChromiumBrowser | undefined;
  let firefox: FirefoxBrowser | undefined;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: join(packageRoot, 'demo') });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    // What `oovoo-server start` writes when it makes the development app.
    writeFileSync(join(server.dataDir, 'demo-app-token'), `${app.token('web', 'sandbox')}\n`);
    chromium = await launchChromium();
    firefox = await launchFirefox();
  });

  after(async () => {
    await closeFirefox(firefox);
    await chromium?.close();
    await server?.stop();
  });

  it('a Firefox page and a Chromium page play each other’s video and chat both ways with Read shown', async () => {
    const { page: fox } = await newFirefoxPerson(firefox!);
    await fox.goto(`${server.url}/`);
    await fox.locator('oovoo-login >>> input[name="userId"]').fill('fern');
    await fox.locator('oovoo-login >>> input[name="displayName"]').fill('Fern');
    await fox.locator('oovoo-login >>> button[part="button"]').click();
    await fox.waitForSelector('oovoo-conference[state="joined"]', { timeout: 60_000 });

    const { page: chrome } = await newPerson(chromium!);
    await preparePage(chrome);
    await chrome.goto(`${server.url}/`);
    await chrome.locator('oovoo-login input[name="userId"]').fill('chris');
    await chrome.locator('oovoo-login input[name="displayName"]').fill('Chris');
    await chrome.getByRole('button', { name: 'Sign in' }).click();
    await chrome.locator('oovoo-conference[state="joined"]').waitFor({ timeout: 60_000 });

    const fern = firefoxPage('Firefox', fox);
    const chris = chromiumPage('Chromium', chrome);
    await playsVideo(fern, "Chromium's video", tileOf('chris'));
    await playsVideo(chris, "Firefox's video", tileOf('fern'));

    await chatCrosses(fern, chris, 'hello from firefox', async (body) => {
      const input = await fox.waitForSelector('oovoo-conference oovoo-chat >>> [part~="input"]');
      await input!.type(body);
      await input!.press('Enter');
    });
    await chatCrosses(chris, fern, 'hello from chromium', async (body) => {
      await chrome.locator('oovoo-chat [part~="input"]').fill(body);
      await chrome.locator('oovoo-chat [part~="input"]').press('Enter');
    });
    // Both messages on both sides, each once.
    for (const person of [fern, chris]) {
      const bodies = await person.run(chatTexts, 'body');
      assert.deepEqual([...bodies].sort(), ['hello from chromium', 'hello from firefox'], person.name);
    }

    // webrtc-adapter is loaded where it is needed (Firefox), not in current Chromium.
    assert.ok((await fern.run(fetchedScripts, undefined)).includes('/oovoo-adapter.min.js'));
    assert.ok(!(await chris.run(fetchedScripts, undefined)).includes('/oovoo-adapter.min.js'));

    await chrome.context().close();
    await fox.browserContext().close();
  });
});
