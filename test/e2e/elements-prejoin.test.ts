// <oovoo-conference prejoin> on a page with the SDK script (its pre-join a chunk of its own): the
// choices made there reach the call. Alice picks the camera by its id and keeps the microphone off:
// Bob sees her video and her page never opens a microphone, until she unmutes in the call and Bob
// hears her.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_TOKEN_FILE } from '../../src/server/routes/assets.js';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { captured, recordCapture } from './conference-fixture.js';

const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'prejoin-pages');

describe('<oovoo-conference prejoin> with the SDK script, two people', () => {
  let server: TestServer;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    server = await startTestServer({ demoDir: PAGES_DIR });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    writeFileSync(join(server.dataDir, DEMO_TOKEN_FILE), app.token('web', 'production'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Signs in on the page; resolves once its pre-join shows the camera's preview. */
  async function signIn(userId: string, query = ''): Promise<Page> {
    const { page } = await newPerson(browser);
    page.on('pageerror', (e) => errors.push(`${userId}: ${e.message}`));
    await recordCapture(page);
    await page.goto(`${server.url}/${query}`);
    await page.locator('oovoo-login input[name="userId"]').fill(userId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(
      () => {
        const prejoin = document.querySelector('oovoo-conference')?.shadowRoot?.querySelector('oovoo-prejoin');
        return (prejoin?.shadowRoot?.querySelector('video[part="preview"]') as HTMLVideoElement | null)?.videoWidth;
      },
      null,
      { timeout: 30_000 },
    );
    return page;
  }

  const state = (page: Page) => page.locator('oovoo-conference').getAttribute('state');

  /** What a page receives from `uid`: its tile's video width and the audio bytes of its inbound-rtp. */
  const received = (page: Page, uid: string) =>
    page.evaluate(async (u) => {
      const el = document.querySelector('oovoo-conference') as any;
      const tile = el.shadowRoot.querySelector(`oovoo-video-tile[participant="${u}"]`);
      const video = tile?.shadowRoot?.querySelector('video') as HTMLVideoElement | null;
      let audioBytes = 0;
      const stats = await el.conference?.peerConnection(u)?.getStats();
      stats?.forEach((s: any) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') audioBytes = s.bytesReceived;
      });
      return { width: video?.videoWidth ?? 0, playing: !!video && !video.paused, audioBytes };
    }, uid);

  it('the chosen camera and a microphone left off reach the call; unmuted later, it is heard', async () => {
    const alice = await signIn('alice', '?audio=off');
    const prejoin = alice.locator('oovoo-conference oovoo-prejoin');
    assert.equal(await prejoin.getByRole('switch', { name: 'Microphone' }).getAttribute('aria-checked'), 'false');
    // Chromium's fake device is one camera: choose it by the id the list gives.
    const select = prejoin.locator('select[part="camera-select"]');
    const cameraId = await select.locator('option').first().getAttribute('value');
    assert.ok(cameraId, 'the camera list gives an id');
    await select.selectOption(cameraId);
    assert.equal(await prejoin.getAttribute('camera-id'), cameraId);
    await prejoin.getByRole('button', { name: 'Join' }).click();
    await waitFor(
      () => state(alice),
      (s) => s === 'joined',
      { what: 'alice joined', timeoutMs: 30_000 },
    );

    const bob = await signIn('bob');
    await bob.locator('oovoo-conference oovoo-prejoin').getByRole('button', { name: 'Join' }).click();
    await waitFor(
      () => state(bob),
      (s) => s === 'joined',
      { what: 'bob joined', timeoutMs: 30_000 },
    );

    await waitFor(
      () => received(bob, 'alice'),
      (r) => r.width > 0 && r.playing,
      {
        what: "alice's video playing at bob",
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    const settings = await alice.evaluate(async () => {
      const stream: MediaStream = await (document.querySelector('oovoo-conference') as any).conference.localStream;
      return {
        kinds: stream.getTracks().map((t) => t.kind),
        deviceId: stream.getVideoTracks()[0]?.getSettings().deviceId,
      };
    });
    assert.deepEqual(settings, { kinds: ['video'], deviceId: cameraId });
    const before = await captured(alice);
    assert.deepEqual(
      before.asked.filter((c) => c.audio),
      [],
      'alice never asked for a microphone (pre-join and call)',
    );
    assert.ok(!before.obtained.includes('audio'), `alice obtained ${before.obtained.join(', ')}`);
    assert.equal((await received(bob, 'alice')).audioBytes, 0, 'no audio from alice yet');

    await alice.locator('oovoo-conference').getByRole('button', { name: 'Unmute', exact: true }).click();
    const heard = await waitFor(
      () => received(bob, 'alice'),
      (r) => r.audioBytes > 0,
      {
        what: 'bob receiving alice’s microphone',
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    await waitFor(
      () => received(bob, 'alice'),
      (r) => r.audioBytes > heard.audioBytes + 1000,
      {
        what: 'audio bytes from alice rising',
        timeoutMs: 20_000,
        intervalMs: 200,
      },
    );
    assert.ok((await captured(alice)).obtained.includes('audio'), 'the microphone opened on unmute');
    assert.deepEqual(errors, []);
  });
});
