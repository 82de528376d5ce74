import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { AUDIO_BYTES_A_SECOND, PAGES_DIR, Participant, preparePage, waitForEvent } from './conference-fixture.js';

describe('conference: mesh calls between real browsers', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function join(uid: string, conf: string, params?: Record<string, unknown>): Promise<Participant> {
    const { page } = await newPerson(browser);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, { token, uid, conf, params });
    assert.deepEqual(result, { conf }, `${uid} joined`);
    return participant;
  }

  it('two pages see and hear each other, and every control reaches the other side', async () => {
    const alice = await join('alice', 'two-party');
    const bob = await join('bob', 'two-party');

    await alice.waitForMediaFrom('bob');
    await bob.waitForMediaFrom('alice');
    const aliceEvents = await alice.events();
    assert.deepEqual(
      aliceEvents.filter((e) => e[0] === 'state').map((e) => e[1]),
      ['ACCESS_ACCEPTED', 'CONNECTED', 'JOINED'],
    );
    assert.deepEqual(
      aliceEvents.filter((e) => e[0] === 'joined'),
      [
        ['joined', 'alice', 'data of alice'],
        ['joined', 'bob', 'data of bob'],
      ],
    );
    assert.deepEqual(
      (await bob.events()).filter((e) => e[0] === 'joined'),
      [
        ['joined', 'bob', 'data of bob'],
        ['joined', 'alice', 'data of alice'],
      ],
    );

    // Recorder mute: bob hears silence (audio energy stops growing), unmute brings it back.
    await waitFor(
      () => bob.stats('alice'),
      (s) => s.audioEnergy > 0,
      { what: 'audio energy from alice', timeoutMs: 20_000, intervalMs: 200 },
    );
    await alice.call('AudioController.setRecorderMute', true);
    assert.equal(await alice.call('AudioController.isRecorderMuted'), true);
    const mutedAt = await bob.settledStats(
      'alice',
      (s) => s.audioEnergy,
      'audio energy from alice to stop growing',
      1e-7,
    );
    // A window in which alice's video kept coming: her audio would have too.
    const stillMuted = await waitFor(
      () => bob.stats('alice'),
      (s) => s.framesDecoded > mutedAt.framesDecoded + 30,
      { what: 'frames from alice while muted', timeoutMs: 20_000, intervalMs: 200 },
    );
    assert.ok(
      stillMuted.audioEnergy - mutedAt.audioEnergy < 1e-6,
      `no audio energy while muted (${mutedAt.audioEnergy} → ${stillMuted.audioEnergy})`,
    );
    await alice.call('AudioController.setRecorderMute', false);
    await waitFor(
      () => bob.stats('alice'),
      (s) => s.audioEnergy > stillMuted.audioEnergy + 1e-6,
      { what: 'audio energy back', timeoutMs: 20_000, intervalMs: 200 },
    );

    // Playback mute silences every remote track here.
    await bob.call('AudioController.setPlaybackMute', true);
    assert.equal(await bob.call('AudioController.isPlaybackMuted'), true);
    assert.deepEqual(
      await bob.page.evaluate(
        () =>
          (document.getElementById('v_alice') as HTMLVideoElement).srcObject &&
          ((document.getElementById('v_alice') as HTMLVideoElement).srcObject as MediaStream)
            .getAudioTracks()
            .map((t) => t.enabled),
      ),
      [false],
    );
    await bob.call('AudioController.setPlaybackMute', false);
    assert.equal(await bob.call('AudioController.isPlaybackMuted'), false);

    // stopTransmit: bob sees PAUSED and no new frames; startTransmit: PLAY and frames again.
    assert.equal(await alice.call('VideoController.isTransmitted'), true);
    await alice.call('VideoController.stopTransmit');
    assert.equal(await alice.call('VideoController.isTransmitted'), false);
    await waitForEvent(
      bob,
      (e) => e[0] === 'video' && e[1] === 'alice' && e[2] === 'PAUSED' && e[3] === true,
      10_000,
      'PAUSED',
    );
    const paused = await bob.settledStats('alice', (s) => s.framesDecoded, 'frames from alice to stop');
    // A window in which alice's audio kept coming: her video would have too.
    const stillPaused = await waitFor(
      () => bob.stats('alice'),
      (s) => s.audioBytes > paused.audioBytes + AUDIO_BYTES_A_SECOND,
      { what: 'audio from alice while paused', timeoutMs: 20_000, intervalMs: 200 },
    );
    assert.equal(stillPaused.framesDecoded, paused.framesDecoded, 'no new frames while paused');
    await alice.call('VideoController.startTransmit');
    await waitForEvent(bob, (e) => e[0] === 'video' && e[1] === 'alice' && e[2] === 'PLAY', 10_000, 'PLAY');
    await waitFor(
      () => bob.stats('alice'),
      (s) => s.framesDecoded > paused.framesDecoded + 5,
      { what: 'frames after startTransmit', timeoutMs: 20_000, intervalMs: 200 },
    );

    // unRegisterRemote: no more video bytes from alice; registerRemote: they flow again.
    await bob.call('VideoController.unRegisterRemote', 'alice');
    await waitForEvent(bob, (e) => e[0] === 'video' && e[1] === 'alice' && e[2] === 'STOPPED', 5_000, 'STOPPED');
    const stopped = await bob.settledStats('alice', (s) => s.videoBytes, 'video bytes from alice to stop');
    // A window in which alice's audio kept coming: her video would have too.
    const stillStopped = await waitFor(
      () => bob.stats('alice'),
      (s) => s.audioBytes > stopped.audioBytes + AUDIO_BYTES_A_SECOND,
      { what: 'audio from alice while stopped', timeoutMs: 20_000, intervalMs: 200 },
    );
    assert.ok(
      stillStopped.videoBytes - stopped.videoBytes < 2000,
      `video bytes stopped (${stopped.videoBytes} → ${stillStopped.videoBytes})`,
    );
    assert.ok(stillStopped.audioBytes > stopped.audioBytes, 'audio keeps flowing');
    const plays = (await bob.events()).filter((e) => e[0] === 'video' && e[2] === 'PLAY').length;
    await bob.call('VideoController.registerRemote', 'alice');
    await waitFor(
      () => bob.events(),
      (events) => events.filter((e) => e[0] === 'video' && e[2] === 'PLAY').length === plays + 1,
      { what: 'PLAY after register', timeoutMs: 5_000, intervalMs: 200 },
    );
    await waitFor(
      () => bob.stats('alice'),
      (s) => s.videoBytes > stillStopped.videoBytes + 10_000 && s.framesDecoded > stillStopped.framesDecoded + 5,
      { what: 'video after registerRemote', timeoutMs: 20_000, intervalMs: 200 },
    );

    // sendData to one and to all; over 16 KB is -40000.
    assert.deepEqual(await alice.call('sendData', 'alice', 'bob', 'hello bob'), {});
    await waitForEvent(bob, (e) => e[0] === 'data' && e[1] === 'alice' && e[2] === 'hello bob', 5_000, 'data to one');
    assert.deepEqual(await bob.call('sendData', 'bob', '', 'hello all'), {});
    await waitForEvent(alice, (e) => e[0] === 'data' && e[1] === 'bob' && e[2] === 'hello all', 5_000, 'data to all');
    assert.deepEqual(await alice.call('sendData', 'alice', 'bob', 'x'.repeat(16 * 1024 + 1)), { rejected: -40000 });
    assert.deepEqual(await alice.call('sendData', 'bob', 'alice', 'as bob'), { rejected: -35001 });

    // leave: the other side sees the participant leave; the leaver sees DISCONNECTED.
    await bob.call('leave');
    await waitForEvent(alice, (e) => e[0] === 'left' && e[1] === 'bob', 10_000, 'bob left');
    assert.ok((await bob.events()).some((e) => e[0] === 'state' && e[1] === 'DISCONNECTED'));
    await alice.call('leave');

    // Usage: one conference, two participants at peak, some participant time.
    await waitFor(
      () => server.store.conferenceUsage.list(app.appId),
      (days) => days.length === 1 && days[0]!.participantMinutes > 0,
      { what: 'usage', timeoutMs: 10_000, intervalMs: 200 },
    );
    await alice.page.context().close();
    await bob.page.context().close();
  });

  it('three pages each decode the two others', async () => {
    const people = [await join('p1', 'three-party'), await join('p2', 'three-party'), await join('p3', 'three-party')];
    await Promise.all(
      people.flatMap((me) => people.filter((o) => o !== me).map((other) => me.waitForMediaFrom(other.uid))),
    );
    await people[0]!.call('sendData', 'p1', '', 'to everyone');
    await Promise.all(
      [people[1]!, people[2]!].map((p) =>
        waitForEvent(p, (e) => e[0] === 'data' && e[2] === 'to everyone', 5_000, 'broadcast'),
      ),
    );
    assert.ok(!(await people[0]!.events()).some((e) => e[0] === 'data'), 'the sender does not get its own broadcast');
    // Usage is written in batches: wait for the flush.
    await waitFor(
      () => server.store.conferenceUsage.list(app.appId),
      (days) => days.length === 1 && days[0]!.peakParticipants >= 3,
      { what: 'usage peak of 3', timeoutMs: 10_000, intervalMs: 200 },
    );
    for (const p of people) await p.page.context().close();
  });

  it('init with invalid values reports -40000 in the callback, never throws', async () => {
    const { page } = await newPerson(browser);
    await preparePage(page);
    await page.goto(`${server.url}/index.html`);
    const results = await page.evaluate(async () => {
      const w = window as any;
      const run = (params: unknown) =>
        new Promise((resolve) => {
          try {
            w.ooVooClient.AVChat.init(params, (res: any) => resolve(res.error ? res.error.code : 0));
          } catch (e) {
            resolve(`threw ${String(e)}`);
          }
        });
      return [
        await run({ videoResolution: 'HUGE' }),
        await run({ videoFrameRate: [1, 60] }),
        await run({ videoFrameRate: [20, 10] }),
        await run({ audio: 'yes' }),
        await run({ videoDeviceId: 5 }),
        await run(null),
        await run({
          audio: false,
          video: false,
          videoResolution: w.ooVooClient.VideoResolution.NORMAL,
          videoFrameRate: [5, 30],
        }),
      ];
    });
    assert.deepEqual(results, [-40000, -40000, -40000, -40000, -40000, 0, 0]);
    await page.context().close();
  });
});
