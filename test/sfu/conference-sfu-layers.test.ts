// Simulcast layers by the page's hint: Conference.setRemoteVideoHeight(uid, maxHeight) makes the
// server pick that publisher's smallest layer that fills the tile, without renegotiation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import type { Participant } from '../e2e/conference-fixture.js';
import { SfuHarness, decodesFrom } from './sfu-conference-fixture.js';

/** 640x480: with the field trial SfuHarness passes, Chromium sends 640, 320 and 160 wide layers. */
const HIGH = { audio: true, video: true, videoResolution: 'HIGH', videoFrameRate: [10, 15] };

/** The width of the last frame `p` decoded from `uid` (its one video stream from that participant). */
function decodedWidth(p: Participant, uid: string): Promise<number> {
  return p.page.evaluate(async (u) => {
    const pc: RTCPeerConnection | undefined = (window as any).__conf.c.peerConnection(u);
    let width = 0;
    // In a room of two the subscriber connection carries one video: this publisher's.
    (await pc?.getStats())?.forEach((s: any) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') width = s.frameWidth ?? 0;
    });
    return width;
  }, uid);
}

describe('simulcast layers on the SFU', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start();
  });
  after(async () => {
    await sfu?.stop();
  });

  it('a tile height hint drops the decoded width to a small layer, and a taller one raises it again', async () => {
    const { server, app } = await sfu.serverWithSfu(1);
    await sfu.join(server, app, 'pub', 'sfu-layers', HIGH);
    const sub = await sfu.join(server, app, 'sub', 'sfu-layers');
    await decodesFrom(sub, ['pub'], 60_000);
    const renegotiations = () =>
      sub.page.evaluate(() => (window as any).__conf.c.peerConnection('pub').localDescription.sdp.length);
    const sdpBefore = await renegotiations();
    // Two people: the highest layer by room size, once the publisher's bandwidth estimate allows it.
    await waitFor(
      () => decodedWidth(sub, 'pub'),
      (w) => w >= 480,
      { what: 'sub decoding the 640-wide layer of pub', timeoutMs: 60_000, intervalMs: 250 },
    );

    await sub.call('setRemoteVideoHeight', 'pub', 120);
    const small = await waitFor(
      () => decodedWidth(sub, 'pub'),
      (w) => w > 0 && w <= 352,
      { what: 'the decoded width dropping after a 120-line hint', timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.ok(small <= 352);
    await decodesFrom(sub, ['pub']);

    await sub.call('setRemoteVideoHeight', 'pub', 480);
    await waitFor(
      () => decodedWidth(sub, 'pub'),
      (w) => w >= 480,
      { what: 'the decoded width rising after a 480-line hint', timeoutMs: 30_000, intervalMs: 250 },
    );
    await decodesFrom(sub, ['pub']);
    assert.equal(await renegotiations(), sdpBefore, 'the layers changed without a new offer');
  });
});
