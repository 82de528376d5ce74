import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCREEN_SHARE_TAKEN_CODE, errorInfo, type JoinResult } from '../../../src/protocol/index.js';
import { createAVChat } from '../../../src/sdk/conference/av-chat.js';
import { waitFor } from '../../helpers/wait.js';
import { fakeClient, welcomeFrame, type FakeSocket } from './fake-socket.js';

/** A screen capture track: ends like the browser's (an 'ended' event) or by stop(). */
class FakeTrack extends EventTarget {
  readonly kind = 'video';
  readyState = 'live';
  contentHint = '';
  stop(): void {
    this.readyState = 'ended';
  }
}

let captures = 0;
const tracks: FakeTrack[] = [];

/** Just enough of the browser for a conference without peers: streams, a screen to capture, an orientation. */
before(() => {
  const g = globalThis as Record<string, unknown>;
  g.MediaStream ??= class {
    getTracks = () => [];
    getAudioTracks = () => [];
    getVideoTracks = () => [];
  };
  g.screen = { orientation: { angle: 0, addEventListener: () => undefined, removeEventListener: () => undefined } };
  const getDisplayMedia = async () => {
    captures++;
    const track = new FakeTrack();
    tracks.push(track);
    return { getTracks: () => [track], getVideoTracks: () => [track] };
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { mediaDevices: { getDisplayMedia } },
    configurable: true,
    writable: true,
  });
});

const joinResult = (resumed: boolean): JoinResult => ({
  conf: 'room',
  participants: [],
  iceServers: [],
  resumed,
  graceMs: 1_000,
  mode: 'mesh',
});

describe('Conference: a screen share over a fake socket', () => {
  const made = fakeClient();
  after(() => made.client.close());

  /** Answers the latest request of type `t` on the socket (an ack, or an error of `code`). */
  async function answer(socket: FakeSocket, t: string, n: number, result: object | number = {}): Promise<void> {
    await waitFor(() => socket.requests(t).length >= n, { what: `${t} #${n}`, intervalMs: 0 });
    const id = socket.requests(t)[n - 1]!.id;
    socket.receive(
      typeof result === 'number' ? { t: 'error', id, error: errorInfo(result, 'taken') } : { t: 'ack', id, result },
    );
  }
  const shares = (socket: FakeSocket) => socket.requests('conf.share').map((f) => f.active);

  it('is told again after a rejoin, ends when taken meanwhile, by the browser’s stop, after a drop, and on leaving', async () => {
    const socket = await made.connect();
    const conference = createAVChat({ signaling: made.client, userId: 'alice' }).init({ audio: false, video: false });
    const events: unknown[] = [];
    conference.events.on('screenShareStarted', (e) => events.push(['started', e.uid, e.stream !== undefined]));
    conference.events.on('screenShareStopped', (e) => events.push(['stopped', e.uid]));
    assert.equal(
      (await conference.startScreenShare().catch((e: { code: number }) => e.code)) as unknown,
      -40000,
      'no share outside a conference',
    );
    const joining = conference.join('room', 'alice', 'me');
    await answer(socket, 'conf.join', 1, joinResult(false));
    await joining;

    // Started: the capture, then the room's consent; a second call meanwhile gets the same answer.
    const starting = conference.startScreenShare();
    const again = conference.startScreenShare();
    await answer(socket, 'conf.share', 1);
    assert.deepEqual(await starting, {});
    assert.deepEqual(await again, {});
    assert.equal(captures, 1, 'one capture for both calls');
    assert.equal(tracks[0]!.contentHint, 'detail');
    assert.equal(conference.screenShare?.uid, 'alice');
    assert.deepEqual(events, [['started', 'alice', true]]);

    // A rejoin tells the room again; someone who took the share meanwhile ends this one.
    let next = await made.reconnect();
    await answer(next, 'conf.join', 1, joinResult(false));
    await answer(next, 'conf.share', 1, SCREEN_SHARE_TAKEN_CODE);
    await waitFor(() => events.length === 2, { what: 'the share ended', intervalMs: 0 });
    assert.deepEqual(events[1], ['stopped', 'alice']);
    assert.equal(tracks[0]!.readyState, 'ended', 'the capture stopped');
    assert.equal(conference.screenShare, undefined);
    assert.deepEqual(shares(next), [true], 'nothing more said');

    // The browser's own stop (the track ends): the room is told.
    const third = conference.startScreenShare();
    await answer(next, 'conf.share', 2);
    await third;
    tracks[1]!.dispatchEvent(new Event('ended'));
    assert.deepEqual(events.slice(2), [
      ['started', 'alice', true],
      ['stopped', 'alice'],
    ]);
    await waitFor(() => shares(next).length === 3, { what: 'the stop', intervalMs: 0 });
    assert.deepEqual(shares(next), [true, true, false]);
    await answer(next, 'conf.share', 3);

    // A stop during a drop goes out after the rejoin (durable), so the room does not keep a share that ended.
    const fourth = conference.startScreenShare();
    await answer(next, 'conf.share', 4);
    await fourth;
    next.drop();
    assert.deepEqual(await conference.stopScreenShare(), {});
    assert.equal(tracks[2]!.readyState, 'ended');
    next = await made.socket(made.sockets.length + 1);
    next.receive(welcomeFrame);
    await answer(next, 'conf.join', 1, joinResult(true));
    await waitFor(() => shares(next).length === 1, { what: 'the stop after the rejoin', intervalMs: 0 });
    assert.deepEqual(shares(next), [false]);
    await answer(next, 'conf.share', 1);

    // Leaving ends a share: the capture stops and the page hears it.
    const fifth = conference.startScreenShare();
    await answer(next, 'conf.share', 2);
    await fifth;
    conference.leave();
    assert.equal(tracks[3]!.readyState, 'ended');
    assert.deepEqual(events.slice(-2), [
      ['started', 'alice', true],
      ['stopped', 'alice'],
    ]);
    assert.deepEqual(await conference.stopScreenShare(), {}, 'nothing to stop is no error');
  });
});
