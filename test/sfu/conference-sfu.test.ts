// Conferences through Janus, end to end: the SDK in real Chromium pages, our server driving a real
// Janus. Runs inside scripts/netns-veth.sh (Janus gathers ICE on the veth; see janus-fixture.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApp, TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import type { Participant } from '../e2e/conference-fixture.js';
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
});
