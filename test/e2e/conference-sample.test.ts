import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { packageRoot } from '../../src/server/index.js';
import { waitFor } from '../helpers/wait.js';
import { preparePage } from './conference-fixture.js';

const SAMPLE = join(packageRoot, 'demo', 'samples', 'video-chat.html');

describe("the spec's Video Chat Sample", () => {
  let server: TestServer;
  let browser: Browser;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oovoo-sample-'));
    server = await startTestServer({ ...relaxedLimits, demoDir: dir });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    // The sample logs in with isSandbox: false, so it gets the production web token.
    const html = readFileSync(SAMPLE, 'utf8').replace('PUT HERE APPLICATION TOKEN', app.token('web', 'production'));
    writeFileSync(join(dir, 'video-chat.html'), html);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two pages of the sample show each other’s video', async () => {
    const pages = [];
    for (let i = 0; i < 2; i++) {
      const { page } = await newPerson(browser);
      await preparePage(page);
      await page.goto(`${server.url}/video-chat.html`);
      pages.push(page);
    }
    for (const page of pages) {
      // The sample logs in through the redirect, joins, and appends one <video id="vid_<uid>"> per other participant.
      const sizes = await waitFor(
        () =>
          page.evaluate(() => ({
            local: (document.getElementById('localVideo') as HTMLVideoElement).videoWidth,
            remote: [...document.querySelectorAll('video[id^="vid_"]')].map((v) => (v as HTMLVideoElement).videoWidth),
          })),
        (s) => s.local > 0 && s.remote.length === 1 && s.remote[0]! > 0,
        { what: 'local and remote video in the sample', timeoutMs: 30_000, intervalMs: 200 },
      );
      assert.equal(sizes.remote.length, 1);
      // The spec's `video.src = URL.createObjectURL(stream)` went through our shim to srcObject.
      assert.ok(
        await page.evaluate(
          () => (document.querySelector('video[id^="vid_"]') as HTMLVideoElement).srcObject instanceof MediaStream,
        ),
      );
    }
  });
});
