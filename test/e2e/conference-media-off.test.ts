// A camera or microphone that is off at AVChat.init is never opened (the camera light stays off); turning
// it on later (startTransmit, unmute) opens it then and the mesh renegotiates, so the other page gets it.
// Run both ways round: the page with its devices off answers the first offer, or makes it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { captured, PAGES_DIR, Participant, recordCapture, waitForEvent } from './conference-fixture.js';

describe('conference: a camera and microphone off at init', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function join(uid: string, conf: string, params: Record<string, unknown>): Promise<Participant> {
    const { page } = await newPerson(browser);
    await recordCapture(page);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, { token, uid, conf, params });
    assert.deepEqual(result, { conf });
    return participant;
  }

  for (const offFirst of [true, false]) {
    it(`are never opened; turned on later they reach the other page (${offFirst ? 'answering' : 'offering'})`, async () => {
      const conf = `media-off-${offFirst ? 'a' : 'b'}`;
      const quiet = `quiet-${offFirst ? 'a' : 'b'}`;
      const other = `other-${offFirst ? 'a' : 'b'}`;
      // The later joiner makes the offers: joining first, the quiet page answers them.
      const first = await join(offFirst ? quiet : other, conf, offFirst ? { audio: false, video: false } : {});
      const second = await join(offFirst ? other : quiet, conf, offFirst ? {} : { audio: false, video: false });
      const [q, o] = offFirst ? [first, second] : [second, first];

      assert.equal(await q.call('AudioController.isRecorderMuted'), true, 'audio: false starts muted');
      assert.equal(await q.call('VideoController.isTransmitted'), false, 'video: false starts without video');
      await waitFor(
        () => o.page.evaluate((uid) => (window as any).__conf.c.remoteParticipant(uid), quiet),
        (info) => info?.video === 'PAUSED' && info.muted === true,
        { what: 'the other page told: video paused, microphone muted', timeoutMs: 10_000, intervalMs: 200 },
      );
      await waitFor(
        () => o.stats(quiet),
        (s) => s.connected,
        { what: 'the link connected', timeoutMs: 20_000, intervalMs: 200 },
      );
      assert.deepEqual(await captured(q.page), { asked: [], obtained: [] }, 'nothing opened while both are off');

      await q.call('VideoController.startTransmit');
      await waitForEvent(o, (e) => e[0] === 'video' && e[1] === quiet && e[2] === 'PLAY', 10_000, 'video PLAY');
      await waitFor(
        () => o.stats(quiet),
        (s) => s.videoWidth > 0 && s.framesDecoded > 5,
        { what: `${other} playing the camera turned on later`, timeoutMs: 30_000, intervalMs: 200 },
      );
      const afterVideo = await captured(q.page);
      assert.deepEqual(afterVideo.obtained, ['video'], 'the camera alone was opened');
      assert.equal(afterVideo.asked.length, 1);
      assert.equal(afterVideo.asked[0]!.audio, false);
      assert.equal((await o.stats(quiet)).audioBytes, 0, 'no audio yet');

      await q.call('AudioController.setRecorderMute', false);
      const heard = await waitFor(
        () => o.stats(quiet),
        (s) => s.audioBytes > 0,
        { what: `${other} receiving the microphone turned on later`, timeoutMs: 30_000, intervalMs: 200 },
      );
      await waitFor(
        () => o.stats(quiet),
        (s) => s.audioBytes > heard.audioBytes + 1000,
        { what: 'audio bytes rising', timeoutMs: 20_000, intervalMs: 200 },
      );
      assert.deepEqual((await captured(q.page)).obtained, ['video', 'audio']);
      assert.equal(await q.call('AudioController.isRecorderMuted'), false);
      // The other way still works: the quiet page gets the other's camera and microphone throughout.
      await q.waitForMediaFrom(other);
      for (const p of [first, second]) await p.page.context().close();
    });
  }
});
