// Host actions in a room on the SFU (issue 14): they are signaling, so they work alike on Janus; a
// removal also takes the member's handles off Janus. Two pages: the second join moves the room.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newPerson } from '../helpers/browser.js';
import { s2sLogin } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { Participant, waitForEvent } from '../e2e/conference-fixture.js';
import { SMALL, SfuHarness, allDecoding, framesFrom } from './sfu-conference-fixture.js';

describe('host actions in a room on the SFU', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start([]);
  });
  after(async () => {
    await sfu?.stop();
  });

  it('a host mutes, stops and removes a participant on Janus; the removed one’s handles go', async () => {
    const { server, app } = await sfu.serverWithSfu(2);
    // Client-side login for sandbox only: the production web token may make hosts.
    await server.apps.setClientLogin(app.appId, 'sandbox');
    const { page } = await newPerson(sfu.browser);
    page.setDefaultTimeout(90_000);
    const login = await s2sLogin(
      server.url,
      app.token('web', 'production'),
      JSON.stringify({ payload: { user_id: 'sh-host', role: 'host' } }),
      { origin: 'localhost' },
    );
    const joined = await Participant.join(page, server.url, {
      token: login.body.payload.token,
      uid: 'sh-host',
      conf: 'sfu-hosts',
      params: SMALL,
    });
    assert.deepEqual(joined.result, { conf: 'sfu-hosts' });
    const host = joined.participant;
    const bob = await sfu.join(server, app, 'sh-bob', 'sfu-hosts', SMALL);
    await bob.page.evaluate(() => {
      const t = (window as any).__conf;
      for (const name of ['mutedByHost', 'videoStoppedByHost', 'removedByHost'])
        t.c.events.on(name, (e: any) => t.events.push([name, e.by, e.reason ?? null]));
    });
    const room = server.conference.room(app.appId, 'sfu-hosts')!;
    assert.equal(room.mode, 'sfu');
    await allDecoding([host, bob], 60_000);

    assert.deepEqual(await host.call('HostController.muteParticipant', 'sh-bob'), { delivered: true });
    await waitForEvent(bob, (e) => e[0] === 'mutedByHost' && e[1] === 'sh-host', 20_000, 'muted by the host');
    assert.equal(
      await bob.page.evaluate(async () => (await (window as any).__conf.c.localStream).getAudioTracks()[0].enabled),
      false,
    );
    assert.equal(room.get('sh-bob')?.muted, true);

    assert.deepEqual(await host.call('HostController.stopParticipantVideo', 'sh-bob'), { delivered: true });
    await waitForEvent(bob, (e) => e[0] === 'videoStoppedByHost', 20_000, 'video stopped by the host');
    assert.equal(await bob.call('VideoController.isTransmitted'), false);
    // The publisher stops sending video: the host's frames from bob stop rising.
    let last = -1;
    await waitFor(
      async () => {
        const now = await framesFrom(host, 'sh-bob');
        const still = now === last;
        last = now;
        return still;
      },
      (still) => still,
      { what: 'frames from bob stopped', timeoutMs: 20_000, intervalMs: 1000 },
    );

    assert.deepEqual(await host.call('HostController.removeParticipant', 'sh-bob', 'Done here'), {});
    await waitForEvent(bob, (e) => e[0] === 'removedByHost' && e[2] === 'Done here', 20_000, 'removed');
    await waitForEvent(bob, (e) => e[0] === 'state' && e[1] === 'DISCONNECTED' && e[2] === 'removed', 20_000, 'gone');
    await waitForEvent(host, (e) => e[0] === 'left' && e[1] === 'sh-bob', 20_000, 'bob left');
    const sfuRoom = await room.sfu!;
    await waitFor(
      () => sfuRoom.size,
      (n) => n === 1,
      { what: 'bob off Janus', timeoutMs: 10_000 },
    );
  });
});
