// Conferences through Janus, end to end: the SDK in real Chromium pages, our server driving a real
// Janus. Runs inside scripts/netns-veth.sh (Janus gathers ICE on the veth; see janus-fixture.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp, TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { waitForEvent, type Participant } from '../e2e/conference-fixture.js';
import { SfuHarness, decodesFrom, framesFrom } from './sfu-conference-fixture.js';

describe('conferences through Janus', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start();
  });
  after(async () => {
    await sfu?.stop();
  });

  const serverWithSfu = (sfuFrom: number) => sfu.serverWithSfu(sfuFrom);
  const join = (server: TestServer, app: TestApp, uid: string, conf: string): Promise<Participant> =>
    sfu.join(server, app, uid, conf);

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
