// Network quality between two pages whose media is relayed by coturn over TCP: Ann reaches coturn
// through a TcpProxy (her page's TURN address points at it), Bob directly. The proxy slows Ann's
// path, then holds it silent, then lets it go: Bob sees Ann's quality fall to 'poor' and 'lost' and
// come back, and Ann sees the same of her own uplink.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startCoturn, type TestCoturn } from '../helpers/coturn.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant, preparePage } from './conference-fixture.js';

const SECRET = 'test-turn-secret';
/** Relay only, 352x288 at a low frame rate. */
const PARAMS = {
  audio: true,
  video: true,
  videoResolution: 'NORMAL',
  videoFrameRate: [5, 10],
  iceTransportPolicy: 'relay',
};
/** Each way: the round trip grows by 500 ms, past GOOD's 300. */
const SLOW_MS = 250;

describe('conference: network quality', () => {
  let turn: TestCoturn;
  let proxy: TcpProxy;
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    turn = await startCoturn(SECRET);
    proxy = await TcpProxy.start(turn.port);
    server = await startTestServer({
      ...relaxedLimits,
      demoDir: PAGES_DIR,
      conference: { turnUrls: [`turn:127.0.0.1:${turn.port}?transport=tcp`], turnSecret: SECRET },
    });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await proxy?.close();
    turn?.stop();
  });

  /** Joins, with the page's TURN server reached through the proxy when `viaProxy`; records networkQualityChanged. */
  async function join(uid: string, viaProxy: boolean): Promise<Participant> {
    const { page } = await newPerson(browser);
    await preparePage(page);
    if (viaProxy) {
      // This page's own network: its TURN connection goes through the proxy.
      await page.addInitScript(
        ({ from, to }) => {
          const Native = window.RTCPeerConnection;
          window.RTCPeerConnection = class extends Native {
            constructor(config?: RTCConfiguration) {
              const iceServers = config?.iceServers?.map((s) => ({
                ...s,
                urls: ([] as string[]).concat(s.urls).map((u) => u.replace(`:${from}?`, `:${to}?`)),
              }));
              super({ ...config, iceServers });
            }
          };
        },
        { from: turn.port, to: proxy.port },
      );
    }
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, {
      token,
      uid,
      conf: 'quality',
      params: PARAMS,
    });
    assert.deepEqual(result, { conf: 'quality' });
    await page.evaluate(() => {
      const t = (window as any).__conf;
      t.c.events.on('networkQualityChanged', (e: any) => t.events.push(['quality', e.uid, e.quality]));
    });
    return participant;
  }

  const quality = (p: Participant, uid: string): Promise<string | undefined> =>
    p.page.evaluate((u) => (window as any).__conf.c.networkQuality(u), uid);

  /** Waits until `p` rates `uid`'s network as one of `levels`. */
  async function rated(p: Participant, uid: string, levels: string[], timeoutMs = 20_000): Promise<void> {
    await waitFor(
      () => quality(p, uid),
      (q) => q !== undefined && levels.includes(q),
      { what: `${p.uid} rating ${uid} ${levels.join(' or ')}`, timeoutMs, intervalMs: 250 },
    );
  }

  it("a slow path is poor and a silent one lost, for the receiver and the sender's own uplink; both recover", async () => {
    const ann = await join('nq-ann', true);
    const bob = await join('nq-bob', false);
    await ann.waitForMediaFrom('nq-bob');
    await bob.waitForMediaFrom('nq-ann');
    assert.ok(proxy.openConnections > 0, "Ann's relay goes through the proxy");
    const views: Array<[Participant, string]> = [
      [bob, 'nq-ann'],
      [ann, 'nq-ann'],
    ];
    for (const [p, uid] of views) await rated(p, uid, ['excellent', 'good']);

    proxy.latencyMs = SLOW_MS;
    for (const [p, uid] of views) await rated(p, uid, ['poor']);
    proxy.latencyMs = 0;
    for (const [p, uid] of views) await rated(p, uid, ['excellent', 'good']);

    proxy.hold();
    for (const [p, uid] of views) await rated(p, uid, ['lost']);
    proxy.release();
    for (const [p, uid] of views) await rated(p, uid, ['excellent', 'good'], 30_000);

    for (const [p, uid] of views) {
      const told = (await p.events()).filter((e) => e[0] === 'quality' && e[1] === uid).map((e) => e[2]);
      assert.ok(
        told.includes('poor') && told.includes('lost'),
        `${p.uid} was told of ${uid}'s poor and lost path: ${told.join(', ')}`,
      );
      assert.ok(told.length <= 10, `${p.uid}: a few changes, no flapping: ${told.join(', ')}`);
    }
    for (const p of [ann, bob]) await p.page.context().close();
  });
});
