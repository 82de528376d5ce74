// A screen share through Janus: the sharer's publisher gets a third transceiver (a renegotiation,
// `configure` with a new offer); the server subscribes the members that already get its feed to the
// new stream, a later joiner gets it with the feed, and each conf.sfu.offer names it `source: 'screen'`.
// Chromium's fake screen (default flags: --use-fake-ui-for-media-stream) is 1280x720.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Participant } from '../e2e/conference-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { SfuHarness } from './sfu-conference-fixture.js';

describe('screen share through Janus', () => {
  let sfu: SfuHarness;

  before(async () => {
    // One simulcast layer less than the other SFU tests: three pages and a 1280x720 screen on two cores.
    sfu = await SfuHarness.start([]);
  });
  after(async () => {
    await sfu?.stop();
  });

  /** Waits until `p` heard `uid`'s share start (or stop) `times` times. */
  const saw = (p: Participant, uid: string, what: 'started' | 'stopped', times = 1) =>
    waitFor(
      async () => (await p.events()).filter((e) => e[0] === 'share' && e[1] === uid && e[2] === what).length,
      (n) => n >= times,
      { what: `${p.uid}: share ${uid} ${what} ${times}x`, timeoutMs: 30_000, intervalMs: 200 },
    );

  it('reaches a member and a later joiner as a second video of the sharer, decoded beside its camera; stopped and started again', async () => {
    const { server, app } = await sfu.serverWithSfu(1);
    const alice = await sfu.join(server, app, 'alice', 'sfu-share');
    const bob = await sfu.join(server, app, 'bob', 'sfu-share');
    assert.equal(server.conference.room(app.appId, 'sfu-share')?.mode, 'sfu');

    assert.deepEqual(await alice.call('startScreenShare'), {});
    await saw(bob, 'alice', 'started');
    const first = await bob.waitForScreenFrom('alice', 60_000);
    assert.ok(first.videoWidth >= 1000, `bob plays the screen at ${first.videoWidth} px wide`);

    // Carol joins while alice shares: her subscription to alice's feed includes the screen.
    const carol = await sfu.join(server, app, 'carol', 'sfu-share');
    await saw(carol, 'alice', 'started');
    const late = await carol.waitForScreenFrom('alice', 60_000);
    assert.ok(late.videoWidth >= 1000, `carol plays the screen at ${late.videoWidth} px wide`);
    assert.equal(
      await carol.page.evaluate(
        () => (window as any).__conf.c.remoteParticipant('alice')?.screen instanceof MediaStream,
      ),
      true,
      'remoteParticipant lists the screen stream',
    );

    assert.deepEqual(await alice.call('stopScreenShare'), {});
    for (const p of [alice, bob, carol]) await saw(p, 'alice', 'stopped');
    assert.equal(await alice.page.evaluate(() => (window as any).__conf.c.screenShare), undefined, 'nobody shares now');

    // Again: the same third transceiver, a new track (no renegotiation), frames again.
    const before = await bob.screenStats('alice');
    assert.deepEqual(await alice.call('startScreenShare'), {});
    for (const p of [bob, carol]) await saw(p, 'alice', 'started', 2);
    await bob.waitForScreenFrom('alice', 60_000);
    const again = await bob.screenStats('alice');
    assert.ok(again.framesDecoded > before.framesDecoded, 'frames of the second share arrived');
    assert.equal(await bob.page.evaluate(() => (window as any).__conf.c.screenShare?.uid), 'alice');
  });
});
