// The spec's Video Chat Sample, verbatim, in a room that is on the SFU from its first join: the
// sample's pages show each other's video, decoded through Janus.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newPerson } from '../helpers/browser.js';
import { waitFor } from '../helpers/wait.js';
import { packageRoot } from '../../src/server/index.js';
import { preparePage } from '../e2e/conference-fixture.js';
import { SfuHarness } from './sfu-conference-fixture.js';

const SAMPLE = join(packageRoot, 'demo', 'samples', 'video-chat.html');
/** The conference id the sample joins. */
const SAMPLE_CONF = 'OOVOO_WEB_RTC';

/** The sample's local video width, and per remote <video id="vid_<uid>">: width and frames shown so far. */
function sampleVideo(page: Page): Promise<{ local: number; remote: { width: number; frames: number }[] }> {
  return page.evaluate(() => ({
    local: (document.getElementById('localVideo') as HTMLVideoElement).videoWidth,
    remote: [...document.querySelectorAll('video[id^="vid_"]')].map((v) => ({
      width: (v as HTMLVideoElement).videoWidth,
      frames: (v as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames,
    })),
  }));
}

describe("the spec's Video Chat Sample on the SFU", () => {
  let sfu: SfuHarness;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oovoo-sfu-sample-'));
    sfu = await SfuHarness.start();
  });
  after(async () => {
    await sfu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two pages of the sample show each other’s video through Janus', async () => {
    const { server, app } = await sfu.serverWithSfu(1, { demoDir: dir });
    // The sample logs in with isSandbox: false, so it gets the production web token.
    const html = readFileSync(SAMPLE, 'utf8').replace('PUT HERE APPLICATION TOKEN', app.token('web', 'production'));
    writeFileSync(join(dir, 'video-chat.html'), html);

    const pages: Page[] = [];
    const open = async () => {
      const { page } = await newPerson(sfu.browser);
      await preparePage(page);
      await page.goto(`${server.url}/video-chat.html`);
      pages.push(page);
    };
    await open();
    // The first sample page's join put the room on the SFU; the second joins a room already there.
    const room = await waitFor(
      () => server.conference.room(app.appId, SAMPLE_CONF),
      (r) => r?.size === 1,
      { what: 'the first sample page in the room', timeoutMs: 30_000, intervalMs: 200 },
    );
    assert.equal(room?.mode, 'sfu');
    await open();

    for (const page of pages) {
      const first = await waitFor(
        () => sampleVideo(page),
        (s) => s.local > 0 && s.remote.length === 1 && s.remote[0]!.width > 0,
        { what: 'local and remote video in the sample', timeoutMs: 60_000, intervalMs: 250 },
      );
      await waitFor(
        () => sampleVideo(page),
        (s) => s.remote.length === 1 && s.remote[0]!.frames > first.remote[0]!.frames + 5,
        { what: 'the remote video in the sample playing', timeoutMs: 30_000, intervalMs: 250 },
      );
    }
    assert.equal(room?.mode, 'sfu');
    assert.equal(room?.size, 2);
  });
});
