// A signaling cut in a room on the SFU: the page takes its place again and media flows on the
// same Janus feed (no new publisher, nobody sees a leave), whether the network cut the socket or
// the page's own ping found it silent.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';
import { waitForEvent, type Participant } from '../e2e/conference-fixture.js';
import type { TestApp, TestServer } from '../helpers/server.js';
import { SMALL, SfuHarness, decodesFrom, framesFrom } from './sfu-conference-fixture.js';

/** Frames from `from` rise by more than ten on `me`'s page. */
async function framesRiseAgain(me: Participant, from: string): Promise<void> {
  const now = await framesFrom(me, from);
  await waitFor(
    () => framesFrom(me, from),
    (n) => n > now + 10,
    { what: `${me.uid}: frames from ${from} after the cut`, timeoutMs: 30_000, intervalMs: 250 },
  );
}

describe('a signaling cut on the SFU', () => {
  let sfu: SfuHarness;
  let proxy: TcpProxy | undefined;

  before(async () => {
    sfu = await SfuHarness.start();
  });
  after(async () => {
    await proxy?.close();
    await sfu?.stop();
  });

  /** Two pages decoding each other on the SFU; the second one's signaling through `signalUrl`. */
  async function pair(server: TestServer, app: TestApp, conf: string, signalUrl?: string) {
    const ann = await sfu.join(server, app, `${conf}-ann`, conf);
    const ben = await sfu.join(server, app, `${conf}-ben`, conf, SMALL, signalUrl);
    await decodesFrom(ann, [ben.uid]);
    await decodesFrom(ben, [ann.uid]);
    const sfuRoom: any = await server.conference.room(app.appId, conf)!.sfu;
    return { ann, ben, feedOfBen: () => sfuRoom.members.get(ben.uid).feedId as number };
  }

  it('RECONNECTED, the same place on Janus, frames rise again both ways', async () => {
    const { server, app } = await sfu.serverWithSfu(1);
    proxy = await TcpProxy.start(server.port);
    const { ann, ben, feedOfBen } = await pair(server, app, 'cut', proxy.url);
    const feedBefore = feedOfBen();

    proxy.outage(3000);
    await waitForEvent(ben, (e) => e[0] === 'state' && e[1] === 'RECONNECTED', 30_000, 'RECONNECTED');
    await framesRiseAgain(ann, ben.uid);
    await framesRiseAgain(ben, ann.uid);
    assert.equal(feedOfBen(), feedBefore, 'the same Janus feed');
    for (const me of [ann, ben]) {
      const events = await me.events();
      assert.equal(events.filter((e) => e[0] === 'left').length, 0, `${me.uid} saw no leave`);
    }
  });

  it('a page whose pings go unanswered drops its socket itself (4003), takes its place again, frames rise', async () => {
    const { server, app } = await sfu.serverWithSfu(1, { pingIntervalMs: 2000, pingTimeoutMs: 1000 });
    const { ann, ben, feedOfBen } = await pair(server, app, 'ping');
    const feedBefore = feedOfBen();
    // The page's pings stop reaching the server (a half-dead socket): its own check must notice.
    await ben.page.evaluate(() => {
      const w = window as any;
      const send = WebSocket.prototype.send;
      w.__dropPings = true;
      WebSocket.prototype.send = function (data: any) {
        if (w.__dropPings && typeof data === 'string' && data.startsWith('{"t":"ping"')) return;
        return send.call(this, data);
      };
    });
    await waitForEvent(ben, (e) => e[0] === 'state' && e[1] === 'RECONNECTING', 30_000, 'RECONNECTING');
    await ben.page.evaluate(() => ((window as any).__dropPings = false));
    await waitForEvent(ben, (e) => e[0] === 'state' && e[1] === 'RECONNECTED', 30_000, 'RECONNECTED');
    await framesRiseAgain(ann, ben.uid);
    await framesRiseAgain(ben, ann.uid);
    assert.equal(feedOfBen(), feedBefore, 'the same Janus feed');
  });
});
