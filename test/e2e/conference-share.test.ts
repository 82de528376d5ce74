// Screen sharing between SDK pages in a mesh: a share reaches the room (and a later joiner) as a
// second video beside the camera, one sharer at a time, and ends for everyone when the browser's
// own capture ends (the captured tab closes, as with Chromium's "Stop sharing" button) or the
// sharer leaves.
//
// How headless Chromium shares here (checked on our machines): with --use-fake-ui-for-media-stream
// (our default flags) getDisplayMedia answers with a fake 1280x720 screen whose track never ends by
// itself (the SFU test uses it). This file launches without that flag, with
// --auto-accept-camera-and-microphone-capture (camera and microphone still granted) and
// --auto-select-tab-capture-source-by-title=TITLE: getDisplayMedia then captures the open tab of
// that <title> (at its viewport size, Playwright's 1280x720), and closing that tab ends the track
// ('ended' fires) just like the Stop button. A tab captures frames only as it repaints: the shared
// page animates.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SCREEN_SHARE_TAKEN_CODE } from '../../src/protocol/index.js';
import { newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { launchChromiumWithout, PAGES_DIR, Participant, waitForEvent } from './conference-fixture.js';

const SHARED_TITLE = 'oovoo shared tab';
/** 352x288 at a low frame rate: three pages and a 1280x720 screen on two cores. */
const SMALL = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [10, 15] };

describe('conference: screen share in a mesh', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromiumWithout(
      ['--use-fake-ui-for-media-stream'],
      ['--auto-accept-camera-and-microphone-capture', `--auto-select-tab-capture-source-by-title=${SHARED_TITLE}`],
    );
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function join(uid: string): Promise<Participant> {
    const { page } = await newPerson(browser);
    page.setDefaultTimeout(60_000);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, {
      token,
      uid,
      conf: 'sharing',
      params: SMALL,
    });
    assert.deepEqual(result, { conf: 'sharing' });
    return participant;
  }
  /** A tab of the sharer's browser context that getDisplayMedia picks by its title; it repaints all the time. */
  async function openSharedTab(of: Participant): Promise<Page> {
    const tab = await of.page.context().newPage();
    await tab.setContent(
      `<title>${SHARED_TITLE}</title><style>@keyframes m{to{transform:translateX(900px)}}</style>` +
        '<div style="width:200px;height:200px;background:#c33;animation:m 1s linear infinite alternate"></div>',
    );
    return tab;
  }
  const saw = (p: Participant, uid: string, what: 'started' | 'stopped') =>
    waitForEvent(p, (e) => e[0] === 'share' && e[1] === uid && e[2] === what, 20_000, `share ${uid} ${what}`);
  const shares = async (p: Participant) => (await p.events()).filter((e) => e[0] === 'share');
  const screenShare = (p: Participant) =>
    p.page.evaluate(() => {
      const s = (window as any).__conf.c.screenShare;
      return s && { uid: s.uid, live: s.stream.getVideoTracks()[0]?.readyState === 'live' };
    });

  it('a share reaches the room and a later joiner beside the camera, one at a time, and ends with the browser’s own stop', async () => {
    const alice = await join('s-alice');
    const bob = await join('s-bob');
    await alice.waitForMediaFrom('s-bob', 60_000);

    // Refused before any picker: no getDisplayMedia, or the user cancels it.
    assert.deepEqual(
      await bob.page.evaluate(async () => {
        const devices = navigator.mediaDevices as any;
        const real = devices.getDisplayMedia;
        const code = () => (window as any).__conf.c.startScreenShare().catch((e: any) => e.code);
        devices.getDisplayMedia = undefined;
        const missing = await code();
        devices.getDisplayMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
        const cancelled = await code();
        devices.getDisplayMedia = real;
        return [missing, cancelled];
      }),
      [-40000, -35001],
    );

    const tab = await openSharedTab(alice);
    assert.deepEqual(await alice.call('startScreenShare'), {});
    await saw(alice, 's-alice', 'started');
    assert.deepEqual(await screenShare(alice), { uid: 's-alice', live: true }, 'the getter shows the local share');
    await saw(bob, 's-alice', 'started');

    // Carol joins while alice shares: her link carries the screen too, and she is told of it.
    const carol = await join('s-carol');
    await saw(carol, 's-alice', 'started');
    assert.equal(
      await carol.page.evaluate(
        () => (window as any).__conf.c.remoteParticipant('s-alice')?.screen instanceof MediaStream,
      ),
      true,
      'remoteParticipant lists the screen stream',
    );
    for (const p of [bob, carol]) {
      const { videoWidth } = await p.waitForScreenFrom('s-alice', 60_000);
      assert.ok(videoWidth >= 1000, `${p.uid} plays the screen at ${videoWidth} px wide`);
    }

    // One share at a time: bob is refused, and nobody hears of a share of his.
    assert.deepEqual(await bob.call('startScreenShare'), { rejected: SCREEN_SHARE_TAKEN_CODE });
    assert.equal(server.conference.room(app.appId, 'sharing')?.get('s-bob')?.share, false);

    // The browser's own stop: the captured tab closes, the track ends, and the share ends for everyone.
    await tab.close();
    for (const p of [alice, bob, carol]) await saw(p, 's-alice', 'stopped');
    assert.equal(await screenShare(carol), undefined);
    assert.equal(server.conference.room(app.appId, 'sharing')?.get('s-alice')?.share, false);

    // Now bob shares, on the transceivers alice's share added (reused, no new one), and leaving ends it.
    const bobTab = await openSharedTab(bob);
    assert.deepEqual(await bob.call('startScreenShare'), {});
    await saw(carol, 's-bob', 'started');
    const { videoWidth } = await alice.waitForScreenFrom('s-bob', 60_000);
    assert.ok(videoWidth >= 1000, `alice plays bob's screen at ${videoWidth} px wide`);
    assert.equal(
      await alice.page.evaluate(
        () =>
          (window as any).__conf.c
            .peerConnection('s-bob')
            .getTransceivers()
            .filter((t: RTCRtpTransceiver) => t.receiver.track.kind === 'video').length,
      ),
      2,
      'one camera and one screen transceiver on the link',
    );
    const bobTrack = await bob.page.evaluateHandle(
      () => (window as any).__conf.c.screenShare.stream.getVideoTracks()[0],
    );
    await bob.call('leave');
    for (const p of [alice, carol]) await saw(p, 's-bob', 'stopped');
    assert.equal(
      await bobTrack.evaluate((t: MediaStreamTrack) => t.readyState),
      'ended',
      'leaving stopped the capture',
    );
    await bobTab.close();

    // Each page heard each share start and stop once, in order (carol: alice's from her join on).
    assert.deepEqual(await shares(carol), [
      ['share', 's-alice', 'started'],
      ['share', 's-alice', 'stopped'],
      ['share', 's-bob', 'started'],
      ['share', 's-bob', 'stopped'],
    ]);
    assert.deepEqual(await shares(alice), [
      ['share', 's-alice', 'started'],
      ['share', 's-alice', 'stopped'],
      ['share', 's-bob', 'started'],
      ['share', 's-bob', 'stopped'],
    ]);
  });
});
