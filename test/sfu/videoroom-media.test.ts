// Media through Janus driven by the broker modules: Chromium pages publish and subscribe with plain
// RTCPeerConnections while the test relays SDP and candidates to the VideoRoom handles, as the
// conference service will. Runs inside scripts/netns-veth.sh (Janus gathers ICE on the veth).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { JanusClient } from '../../src/server/sfu/janus-client.js';
import type { TrickleCandidate } from '../../src/server/sfu/janus-messages.js';
import {
  VideoRoomControl,
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type SubscriberStream,
} from '../../src/server/sfu/videoroom.js';
import { waitFor } from '../helpers/wait.js';
import { ADMIN_KEY, nextEvent, startTestJanus, type TestJanus } from './janus-fixture.js';
// @ts-expect-error: a plain .mjs module without types
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

const ROOM = 4321;
const PAGE = readFileSync(new URL('./pages/sfu-page.html', import.meta.url), 'utf8');

type Inbound = Record<string, { framesDecoded: number; frameWidth: number }>;

describe('VideoRoom media through the broker', () => {
  let janus: TestJanus;
  let client: JanusClient;
  let control: VideoRoomControl;
  let browser: Browser;
  let http: Server;
  let origin: string;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    janus = await startTestJanus();
    client = new JanusClient({ url: janus.url });
    await client.start();
    control = await VideoRoomControl.attach(client);
    await control.createRoom({ room: ROOM, adminKey: ADMIN_KEY, secret: 'room-secret' });
    http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    browser = await chromium.launch({
      executablePath: (ensureChromium as () => string)(),
      headless: true,
      // Three simulcast layers even for a 640x480 source (see platform notes).
      args: [...(CHROMIUM_ARGS as string[]), '--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/'],
    });
  });

  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await browser?.close();
    await control?.destroyRoom(ROOM, 'room-secret').catch(() => undefined);
    await client?.close();
    await janus?.stop();
    await new Promise((resolve) => http?.close(resolve));
  });

  /** A page whose candidates go to the handle `trickle` returns. */
  async function openPage(trickle: () => (c: TrickleCandidate) => Promise<void>): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.exposeFunction('__trickle', (c: TrickleCandidate) => trickle()(c));
    await page.goto(origin);
    closers.push(() => page.context().close());
    return page;
  }

  async function publish(feedId: number, options: { width: number; height: number; simulcast: boolean }) {
    const publisher = await VideoRoomPublisher.join(client, { room: ROOM, feedId, display: `feed ${feedId}` });
    closers.push(() => publisher.close());
    const page = await openPage(() => (c) => publisher.trickle(c));
    const up = nextEvent<void>((l) => publisher.on('webrtcup', l), undefined, 20_000, `webrtcup of feed ${feedId}`);
    const offer = await page.evaluate((o) => (window as any).__startPublisher(o), options);
    const answer = await publisher.publish({ type: 'offer', sdp: offer });
    assert.equal(answer.type, 'answer');
    assert.match(answer.sdp, /^s=-\r?$/m, 'the SDP does not name the Janus room');
    await page.evaluate((sdp) => (window as any).__setAnswer(sdp), answer.sdp);
    await up;
    return { publisher, page };
  }

  const inbound = (page: Page) => page.evaluate(() => (window as any).__inboundVideo() as Promise<Inbound>);
  const videoMidOf = (streams: readonly SubscriberStream[], feedId: number) =>
    streams.find((s) => s.kind === 'video' && s.feedId === feedId && s.active)?.mid;

  /** Waits until the video on `mid` decodes new frames (and, if given, at a width `widthOk` accepts). */
  async function decoding(page: Page, mid: string, widthOk: (w: number) => boolean = () => true, what = 'frames') {
    const start = (await inbound(page))[mid]?.framesDecoded ?? 0;
    await waitFor(
      () => inbound(page),
      (s) => (s[mid]?.framesDecoded ?? 0) > start + 10 && widthOk(s[mid]?.frameWidth ?? 0),
      { what: `${what} on mid ${mid}`, timeoutMs: 20_000, intervalMs: 100 },
    );
  }

  it('forwards a simulcast publisher to a multistream subscriber that decodes it; layers and pause per mid', async () => {
    await publish(1, { width: 640, height: 480, simulcast: true });

    const joined = await VideoRoomSubscriber.join(client, { room: ROOM, streams: [{ feed: 1 }] });
    const subscriber = joined.subscriber;
    closers.push(() => subscriber.close());
    const page = await openPage(() => (c) => subscriber.trickle(c));
    // The stream list maps each mid to its publisher's feed: what the conference layer turns into uids.
    assert.deepEqual(
      joined.streams.map((s) => [s.kind, s.feedId]),
      [
        ['audio', 1],
        ['video', 1],
      ],
    );
    assert.doesNotMatch(joined.offer.sdp, /VideoRoom|4321/, 'the SDP does not name the Janus room');
    const videoMid = videoMidOf(joined.streams, 1) as string;
    const answer = await page.evaluate((sdp) => (window as any).__answerOffer(sdp), joined.offer.sdp);
    await subscriber.start({ type: 'answer', sdp: answer });
    await decoding(page, videoMid);
    const tracks = await page.evaluate(() => (window as any).__tracks as { mid: string; kind: string }[]);
    assert.deepEqual(
      tracks.map((t) => [t.kind, joined.streams.find((s) => s.mid === t.mid)?.feedId]),
      [
        ['audio', 1],
        ['video', 1],
      ],
    );

    // Lowest layer: a quarter of 640 wide; then the highest: the full width.
    const layer = nextEvent<{ substream: number | undefined }>(
      (l) => subscriber.on('layer', l),
      (l) => l.substream === 0,
      20_000,
      'layer 0',
    );
    await subscriber.configure([{ mid: videoMid, substream: 0 }]);
    await layer;
    await decoding(page, videoMid, (w) => w > 0 && w <= 160, 'the lowest layer');
    await subscriber.configure([{ mid: videoMid, substream: 2 }]);
    await decoding(page, videoMid, (w) => w >= 640, 'the highest layer');

    // Paused per mid without renegotiation (what unRegisterRemote becomes): no new frame between two
    // reads a second apart; resumed: frames again.
    await subscriber.configure([{ mid: videoMid, send: false }]);
    let previous = -1;
    await waitFor(
      async () => (await inbound(page))[videoMid]?.framesDecoded ?? 0,
      (frames) => {
        const stopped = frames === previous;
        previous = frames;
        return stopped;
      },
      { what: 'the paused video to stop', timeoutMs: 10_000, intervalMs: 1_000 },
    );
    await subscriber.configure([{ mid: videoMid, send: true }]);
    await decoding(page, videoMid, () => true, 'the resumed video');
  });

  it('adds and drops publishers on a subscriber with one update each, renegotiating the same connection', async () => {
    await publish(2, { width: 320, height: 240, simulcast: false });
    await publish(3, { width: 320, height: 240, simulcast: false });

    const joined = await VideoRoomSubscriber.join(client, { room: ROOM, streams: [{ feed: 2 }] });
    const subscriber = joined.subscriber;
    closers.push(() => subscriber.close());
    const page = await openPage(() => (c) => subscriber.trickle(c));
    const answerOffer = (sdp: string) => page.evaluate((s) => (window as any).__answerOffer(s) as Promise<string>, sdp);
    await subscriber.start({ type: 'answer', sdp: await answerOffer(joined.offer.sdp) });
    await decoding(page, videoMidOf(joined.streams, 2) as string);

    const added = await subscriber.update({ subscribe: [{ feed: 3 }] });
    assert.ok(added.offer, 'Janus renegotiates to add a feed');
    assert.deepEqual(
      added.streams.map((s) => [s.kind, s.feedId]),
      [
        ['audio', 2],
        ['video', 2],
        ['audio', 3],
        ['video', 3],
      ],
    );
    await subscriber.start({ type: 'answer', sdp: await answerOffer(added.offer.sdp) });
    const mid3 = videoMidOf(added.streams, 3) as string;
    await decoding(page, mid3, () => true, 'the added feed');

    const dropped = await subscriber.update({ unsubscribe: [{ feed: 2 }] });
    assert.ok(dropped.offer, 'Janus renegotiates to drop a feed');
    assert.equal(videoMidOf(dropped.streams, 2), undefined);
    assert.equal(videoMidOf(dropped.streams, 3), mid3, 'a kept feed keeps its mid');
    await subscriber.start({ type: 'answer', sdp: await answerOffer(dropped.offer.sdp) });
    await decoding(page, mid3, () => true, 'the kept feed after the drop');
    assert.equal(await page.evaluate(() => (window as any).__connectionState()), 'connected');
  });
});
