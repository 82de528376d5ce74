import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JoinResult } from '../../../src/protocol/index.js';
import { createAVChat } from '../../../src/sdk/conference/av-chat.js';
import { waitFor } from '../../helpers/wait.js';
import { fakeClient, type FakeSocket } from './fake-socket.js';

/** Just enough of the browser for a conference without media: empty streams and a screen that counts listeners. */
const orientationListeners = new Set<unknown>();
before(() => {
  const g = globalThis as Record<string, unknown>;
  g.MediaStream ??= class {
    getTracks = () => [];
    getAudioTracks = () => [];
    getVideoTracks = () => [];
  };
  g.screen = {
    orientation: {
      angle: 0,
      addEventListener: (_: string, fn: unknown) => orientationListeners.add(fn),
      removeEventListener: (_: string, fn: unknown) => orientationListeners.delete(fn),
    },
  };
});

const joinResult = (resumed: boolean): JoinResult => ({
  conf: 'room',
  participants: [],
  iceServers: [],
  resumed,
  graceMs: 1_000,
  mode: 'mesh',
});

describe('Conference over a fake socket (no media)', () => {
  const made = fakeClient();
  after(() => made.client.close());

  /** Answers the next conf.join on the socket. */
  async function answerJoin(socket: FakeSocket, resumed: boolean): Promise<{ instance: unknown }> {
    await waitFor(() => socket.requests('conf.join').length > 0, { what: 'conf.join', intervalMs: 0 });
    const join = socket.requests('conf.join').at(-1)!;
    socket.receive({ t: 'ack', id: join.id, result: joinResult(resumed) });
    return { instance: join.instance };
  }

  it('an unknown init key warns and goes on; stopTransmit before join is announced; a rejoin keeps the instance; leave removes every listener', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    const socket = await made.connect();
    const listeners = () => Object.values(made.client.events.events).reduce((n, list) => n + (list?.length ?? 0), 0);
    const before = listeners();
    const conference = createAVChat({ signaling: made.client, userId: 'alice' }).init({
      audio: false,
      video: false,
      facingMode: 'user',
    } as never);
    console.warn = warn;
    const states: string[] = [];
    conference.events.on('conferenceStateChanged', (e) => states.push(e.type));
    const joinedEvents: unknown[] = [];
    conference.events.on('participantJoined', (e) => joinedEvents.push({ uid: e.uid, video: e.video, muted: e.muted }));

    conference.VideoController.stopTransmit();
    conference.AudioController.setRecorderMute(true);
    const joining = conference.join('room', ' alice ', 'me');
    const first = await answerJoin(socket, false);
    assert.deepEqual(await joining, { conf: 'room' });
    await waitFor(() => socket.requests('conf.audio').length === 1, { what: 'the announcements', intervalMs: 0 });

    assert.ok(
      warnings.some((w) => w.includes('facingMode')),
      JSON.stringify(warnings),
    );
    assert.deepEqual(joinedEvents, [{ uid: 'alice', video: 'PAUSED', muted: true }]);
    assert.deepEqual(
      socket.requests('conf.video').map((f) => [f.conf, f.state]),
      [['room', 'PAUSED']],
    );
    assert.deepEqual(
      socket.requests('conf.audio').map((f) => [f.conf, f.muted]),
      [['room', true]],
    );
    assert.ok(listeners() > before && orientationListeners.size === 1, 'the session listens while joined');

    const next = await made.reconnect();
    const again = await answerJoin(next, true);
    await waitFor(() => states.includes('RECONNECTED'), { what: 'RECONNECTED', intervalMs: 0 });
    assert.equal(again.instance, first.instance, 'the rejoin asks for the same place');
    await waitFor(() => next.requests('conf.video').length === 1, {
      what: 'announced again after the rejoin',
      intervalMs: 0,
    });

    conference.leave();
    assert.deepEqual(
      next.requests('conf.leave').map((f) => f.conf),
      ['room'],
    );
    assert.deepEqual(states, ['CONNECTED', 'JOINED', 'RECONNECTING', 'RECONNECTED', 'DISCONNECTED']);
    assert.equal(listeners(), before, 'every signal listener removed');
    assert.equal(orientationListeners.size, 0, 'the orientation listener removed');
  });
});

describe('Conference: a raised hand over a fake socket', () => {
  const made = fakeClient();
  after(() => made.client.close());

  it('is sent once, told again after a rejoin, and lowered for a later join', async () => {
    const socket = await made.connect();
    const conference = createAVChat({ signaling: made.client, userId: 'alice' }).init({ audio: false, video: false });
    const hands: unknown[] = [];
    conference.events.on('handChanged', (e) => hands.push([e.uid, e.raised]));
    const joining = conference.join('room', 'alice', 'me');
    await waitFor(() => socket.requests('conf.join').length > 0, { what: 'conf.join', intervalMs: 0 });
    socket.receive({ t: 'ack', id: socket.requests('conf.join')[0]!.id, result: joinResult(false) });
    await joining;

    const raising = conference.setHandRaised(true);
    await waitFor(() => socket.requests('conf.hand').length === 1, { what: 'conf.hand', intervalMs: 0 });
    socket.receive({ t: 'ack', id: socket.requests('conf.hand')[0]!.id, result: {} });
    assert.deepEqual(await raising, {});
    assert.deepEqual(await conference.setHandRaised(true), {}, 'raising a raised hand sends nothing');
    assert.equal(socket.requests('conf.hand').length, 1);
    assert.deepEqual(hands, [['alice', true]]);

    const next = await made.reconnect();
    await waitFor(() => next.requests('conf.join').length > 0, { what: 'the rejoin', intervalMs: 0 });
    next.receive({ t: 'ack', id: next.requests('conf.join')[0]!.id, result: joinResult(true) });
    await waitFor(() => next.requests('conf.hand').length === 1, { what: 'the hand told again', intervalMs: 0 });
    assert.equal(next.requests('conf.hand')[0]!.raised, true);

    conference.leave();
    assert.equal(conference.handRaised, false, 'a later join starts with the hand lowered');
    assert.deepEqual(
      (await conference.sendReaction('clap').catch((e: { code: number }) => e.code)) as unknown,
      -40000,
      'no reaction outside a conference',
    );
  });
});
