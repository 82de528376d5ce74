// Conferences through Janus, end to end: the SDK in real Chromium pages, our server driving a real
// Janus. Runs inside scripts/netns-veth.sh (Janus gathers ICE on the veth; see janus-fixture.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant, waitForEvent } from '../e2e/conference-fixture.js';
import { ADMIN_KEY, startTestJanus, type TestJanus } from './janus-fixture.js';

const SMALL = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [10, 15] };

/** Frames decoded from one remote participant, through the SDK's statsFor (per participant on the SFU). */
async function framesFrom(p: Participant, uid: string): Promise<number> {
  return p.page.evaluate(async (u) => (await (window as any).__conf.c.statsFor(u))?.framesDecoded ?? 0, uid);
}

/** Waits until `p` decodes a rising count of frames from each of `uids`. */
async function decodesFrom(p: Participant, uids: string[], timeoutMs = 30_000): Promise<void> {
  for (const uid of uids) {
    const first = await waitFor(
      () => framesFrom(p, uid),
      (n) => n > 0,
      {
        what: `${p.uid} decoding ${uid}`,
        timeoutMs,
        intervalMs: 250,
      },
    );
    await waitFor(
      () => framesFrom(p, uid),
      (n) => n > first + 5,
      {
        what: `${p.uid}: frames from ${uid} rising`,
        timeoutMs,
        intervalMs: 250,
      },
    );
  }
}

describe('conferences through Janus', () => {
  let janus: TestJanus;
  let browser: Browser;
  const servers: TestServer[] = [];

  before(async () => {
    janus = await startTestJanus();
    browser = await launchChromium(['--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/']);
  });
  after(async () => {
    await browser?.close();
    for (const server of servers) await server.stop();
    await janus?.stop();
  });

  async function serverWithSfu(sfuFrom: number): Promise<{ server: TestServer; app: TestApp }> {
    const server = await startTestServer({
      ...relaxedLimits,
      demoDir: PAGES_DIR,
      conference: { sfu: { janusUrl: janus.url, adminKey: ADMIN_KEY, sfuFrom } },
    });
    servers.push(server);
    // The SFU is used once the server holds a Janus session.
    await waitFor(
      () => server.conference.sfu?.available ?? false,
      (ok) => ok,
      {
        what: 'the server connected to Janus',
        timeoutMs: 10_000,
      },
    );
    return { server, app: await server.createApp(['localhost', '127.0.0.1']) };
  }

  async function join(server: TestServer, app: TestApp, uid: string, conf: string): Promise<Participant> {
    const { page } = await newPerson(browser);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, { token, uid, conf, params: SMALL });
    assert.deepEqual(result, { conf }, `${uid} joined`);
    return participant;
  }

  it('two pages on the SFU from the first join decode each other, and a page stops getting a video it unregisters', async () => {
    const { server, app } = await serverWithSfu(1);
    const alice = await join(server, app, 'alice', 'sfu-two');
    const bob = await join(server, app, 'bob', 'sfu-two');
    await decodesFrom(alice, ['bob']);
    await decodesFrom(bob, ['alice']);
    const room = server.conference.room(app.appId, 'sfu-two')!;
    assert.equal(room.mode, 'sfu');
    // unRegisterRemote: Janus stops forwarding bob's video to alice, without renegotiation.
    await alice.call('VideoController.unRegisterRemote', 'bob');
    const stopped = await waitFor(
      async () => {
        const a = await framesFrom(alice, 'bob');
        await alice.page.waitForTimeout(500);
        return (await framesFrom(alice, 'bob')) - a;
      },
      (delta) => delta === 0,
      { what: 'no frames from bob after unRegisterRemote', timeoutMs: 5_000, intervalMs: 0 },
    );
    assert.equal(stopped, 0);
    await alice.call('VideoController.registerRemote', 'bob');
    await decodesFrom(alice, ['bob'], 10_000);
  });

  it('a mesh room moves to the SFU when a join reaches --sfu-from, with no one leaving or joining again', async () => {
    const { server, app } = await serverWithSfu(3);
    const alice = await join(server, app, 'alice', 'sfu-move');
    const bob = await join(server, app, 'bob', 'sfu-move');
    await decodesFrom(alice, ['bob']);
    const room = server.conference.room(app.appId, 'sfu-move')!;
    assert.equal(room.mode, 'mesh');
    const carol = await join(server, app, 'carol', 'sfu-move');
    assert.equal(room.mode, 'sfu');
    for (const [p, others] of [
      [alice, ['bob', 'carol']],
      [bob, ['alice', 'carol']],
      [carol, ['alice', 'bob']],
    ] as const) {
      await decodesFrom(p, [...others]);
    }
    // The mesh links went: each page has one subscriber connection for everyone.
    await waitFor(
      () =>
        alice.page.evaluate(
          () => (window as any).__conf.c.peerConnection('bob') === (window as any).__conf.c.peerConnection('carol'),
        ),
      (same) => same,
      { what: 'alice receives bob and carol on one connection', timeoutMs: 10_000 },
    );
    for (const p of [alice, bob]) {
      const events = await p.events();
      assert.deepEqual(
        events.filter((e) => e[0] === 'left'),
        [],
        `${p.uid} saw nobody leave`,
      );
      assert.equal(events.filter((e) => e[0] === 'joined').length, p === alice ? 3 : 3, `${p.uid}: one joined each`);
    }
    await waitForEvent(carol, (e) => e[0] === 'joined' && e[1] === 'alice');
  });
});
