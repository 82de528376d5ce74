import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { packageRoot } from '../../src/server/index.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { closeFirefox, launchFirefox, newFirefoxPerson } from '../helpers/firefox.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { preparePage } from './conference-fixture.js';
import { chromiumPage, firefoxPage, playsVideo, type BrowserPage } from './cross-browser.js';

const SAMPLE = join(packageRoot, 'demo', 'samples', 'video-chat.html');

/** Whether the sample's one remote video plays its stream through srcObject (the spec's createObjectURL, shimmed). */
function remoteVideoHasStream(): boolean {
  const videos = document.querySelectorAll('video[id^="vid_"]');
  return videos.length === 1 && (videos[0] as HTMLVideoElement).srcObject instanceof MediaStream;
}

/** The spec's Video Chat Sample, unchanged but for its token, with one page in Firefox and one in Chromium. */
describe("the spec's Video Chat Sample in Firefox and Chromium", () => {
  let server: TestServer;
  let chromium: ChromiumBrowser | undefined;
  let firefox: FirefoxBrowser | undefined;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oovoo-sample-'));
    server = await startTestServer({ ...relaxedLimits, demoDir: dir });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    // The sample logs in with isSandbox: false, so it gets the production web token.
    const html = readFileSync(SAMPLE, 'utf8').replace('PUT HERE APPLICATION TOKEN', app.token('web', 'production'));
    writeFileSync(join(dir, 'video-chat.html'), html);
    chromium = await launchChromium();
    firefox = await launchFirefox();
  });

  after(async () => {
    await closeFirefox(firefox);
    await chromium?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Firefox page and a Chromium page of the sample play their own and each other’s video', async () => {
    // The sample logs in through the redirect, joins, and appends one <video id="vid_<uid>"> per other participant.
    const { page: fox } = await newFirefoxPerson(firefox!);
    await fox.goto(`${server.url}/video-chat.html`);
    const { page: chrome } = await newPerson(chromium!);
    await preparePage(chrome);
    await chrome.goto(`${server.url}/video-chat.html`);

    const pages: BrowserPage[] = [firefoxPage('Firefox', fox), chromiumPage('Chromium', chrome)];
    for (const page of pages) {
      await playsVideo(page, 'its own camera', ['#localVideo']);
      await playsVideo(page, 'the other page’s video', ['video[id^="vid_"]']);
      // The spec's `video.src = URL.createObjectURL(stream)` went through our shim to srcObject.
      assert.ok(await page.run(remoteVideoHasStream, undefined), page.name);
    }

    await chrome.context().close();
    await fox.browserContext().close();
  });
});
