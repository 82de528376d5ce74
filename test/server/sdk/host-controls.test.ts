import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LOBBY_CLOSED_CODE, errorInfo, type JoinResult } from '../../../src/protocol/index.js';
import { createAVChat } from '../../../src/sdk/conference/av-chat.js';
import { waitFor } from '../../helpers/wait.js';
import { fakeClient, type FakeSocket } from './fake-socket.js';

/** Just enough of the browser for a conference without media. */
before(() => {
  const g = globalThis as Record<string, unknown>;
  g.MediaStream ??= class {
    getTracks = () => [];
    getAudioTracks = () => [];
    getVideoTracks = () => [];
  };
  g.screen = { orientation: { angle: 0, addEventListener: () => undefined, removeEventListener: () => undefined } };
});

const joinResult = (resumed: boolean): JoinResult => ({
  conf: 'room',
  participants: [],
  iceServers: [],
  resumed,
  graceMs: 1_000,
  mode: 'mesh',
});

/** The nth request of type `t` the socket carried, once sent. */
async function request(socket: FakeSocket, t: string, n = 1) {
  await waitFor(() => socket.requests(t).length >= n, { what: `${t} #${n}`, intervalMs: 0 });
  return socket.requests(t)[n - 1]!;
}

// The SDK's HostController over a fake socket: what it learns of the room, what it does for a host's
// mute and stop, how it forgets a room after a rejoin that says nothing, and leaving from the lobby.
describe('HostController over a fake socket', () => {
  const made = fakeClient();
  after(() => made.client.close());

  it('learns role, lock, lobby, hosts and knocks; obeys a mute and a stop; a plain rejoin forgets the room', async () => {
    const socket = await made.connect();
    const conference = createAVChat({ signaling: made.client, userId: 'alice' }).init({ audio: false, video: false });
    const hosts = conference.HostController;
    const events: unknown[] = [];
    for (const name of [
      'roleChanged',
      'roomLockChanged',
      'lobbyChanged',
      'knock',
      'knocksChanged',
      'mutedByHost',
    ] as const)
      conference.events.on(name, (e: unknown) => events.push([name, e]));
    conference.events.on('videoStoppedByHost', (e) => events.push(['videoStoppedByHost', e]));
    assert.deepEqual(await hosts.muteParticipant('bob').catch((e: { code: number }) => e.code), -40000, 'not joined');

    const joining = conference.join('room', 'alice');
    const join = await request(socket, 'conf.join');
    // The room's state comes before the join's answer.
    socket.receive({
      t: 'conf.room',
      conf: 'room',
      role: 'host',
      locked: true,
      lobby: true,
      hosts: ['alice'],
      waiting: [{ uid: 'dan', userData: 'd' }],
    });
    socket.receive({ t: 'ack', id: join.id, result: joinResult(false) });
    await joining;
    assert.deepEqual([hosts.role, hosts.locked, hosts.lobbyEnabled, hosts.hosts], ['host', true, true, ['alice']]);
    assert.deepEqual(hosts.waiting, [{ uid: 'dan', user_data: 'd' }]);
    assert.deepEqual(events.splice(0), [
      ['roleChanged', { role: 'host' }],
      ['roomLockChanged', { locked: true }],
      ['lobbyChanged', { enabled: true }],
      ['knocksChanged', { waiting: [{ uid: 'dan', user_data: 'd' }] }],
    ]);

    // Knocks come and go; another room's frames change nothing.
    socket.receive({ t: 'conf.lobby.knock', conf: 'room', uid: 'eve', userData: 'e' });
    socket.receive({ t: 'conf.lobby.knock', conf: 'elsewhere', uid: 'zed', userData: 'z' });
    socket.receive({ t: 'conf.lobby.gone', conf: 'room', uid: 'dan', outcome: 'denied' });
    assert.deepEqual(hosts.waiting, [{ uid: 'eve', user_data: 'e' }]);
    assert.deepEqual(events.splice(0), [
      ['knock', { uid: 'eve', user_data: 'e' }],
      [
        'knocksChanged',
        {
          waiting: [
            { uid: 'dan', user_data: 'd' },
            { uid: 'eve', user_data: 'e' },
          ],
        },
      ],
      ['knocksChanged', { waiting: [{ uid: 'eve', user_data: 'e' }] }],
    ]);

    // A host's request goes out with the conference; lock and lobby change here once the server agrees.
    const unlocking = hosts.lockRoom(false);
    socket.receive({ t: 'ack', id: (await request(socket, 'conf.host.lock')).id });
    await unlocking;
    assert.deepEqual(
      socket.requests('conf.host.lock').map(({ conf, locked }) => [conf, locked]),
      [['room', false]],
    );
    assert.deepEqual(events.splice(0), [['roomLockChanged', { locked: false, by: 'alice' }]]);
    const removing = hosts.removeParticipant('bob', (res) => events.push(['cb', res]));
    const remove = await request(socket, 'conf.host.remove');
    assert.deepEqual([remove.uid, remove.reason], ['bob', undefined]);
    socket.receive({ t: 'error', id: remove.id, error: errorInfo(-35001) });
    await assert.rejects(removing, (e: { code: number }) => e.code === -35001);
    assert.equal((events.splice(0)[0] as [string, { error: { code: number } }])[1].error.code, -35001);

    // A host mutes us and stops our video: the controllers do it, and we are told who did.
    socket.receive({ t: 'conf.host.mute', conf: 'room', from: 'carol' });
    socket.receive({ t: 'conf.host.video', conf: 'room', from: 'carol' });
    assert.equal(conference.AudioController.isRecorderMuted(), true);
    assert.equal(conference.VideoController.isTransmitted(), false);
    assert.deepEqual(events.splice(0), [
      ['mutedByHost', { by: 'carol' }],
      ['videoStoppedByHost', { by: 'carol' }],
    ]);
    await waitFor(() => socket.requests('conf.audio').length > 0, { what: 'the mute announced', intervalMs: 0 });
    assert.deepEqual(
      socket.requests('conf.audio').map((f) => f.muted),
      [true],
    );

    // A rejoin that brings no conf.room: the room is plain now (and we are a participant).
    const next = await made.reconnect();
    const rejoin = await request(next, 'conf.join');
    assert.equal(rejoin.instance, join.instance);
    next.receive({ t: 'ack', id: rejoin.id, result: joinResult(true) });
    await waitFor(() => hosts.role === 'participant', { what: 'the role forgotten', intervalMs: 0 });
    assert.deepEqual([hosts.locked, hosts.lobbyEnabled, hosts.hosts, hosts.waiting], [false, false, [], []]);
    assert.deepEqual(events.splice(0), [
      ['roleChanged', { role: 'participant' }],
      ['lobbyChanged', { enabled: false }],
      ['knocksChanged', { waiting: [] }],
    ]);
    conference.leave();
  });

  it('a join held in the lobby is told whether a host is there, and leave() ends the wait', async () => {
    const socket = made.sockets.at(-1)!;
    const conference = createAVChat({ signaling: made.client, userId: 'alice' }).init({ audio: false, video: false });
    const waiting: unknown[] = [];
    conference.events.on('lobbyWaiting', (e) => waiting.push(e));
    const joining = conference.join('room', 'alice');
    const n = socket.requests('conf.join').length;
    const join = await request(socket, 'conf.join', n);
    socket.receive({ t: 'conf.lobby.wait', conf: 'room', hostPresent: false, timeoutMs: 300_000 });
    socket.receive({ t: 'conf.lobby.wait', conf: 'room', hostPresent: true, timeoutMs: 299_000 });
    // The first host frame brings the controls' code (call extras); the frames wait for it, in order.
    await waitFor(() => conference.HostController.inLobby, { what: 'the lobby wait', intervalMs: 0 });
    assert.deepEqual(waiting, [
      { hostPresent: false, timeoutMs: 300_000 },
      { hostPresent: true, timeoutMs: 299_000 },
    ]);
    conference.leave();
    const leave = await request(socket, 'conf.lobby.leave');
    assert.equal(leave.conf, 'room');
    socket.receive({ t: 'ack', id: leave.id });
    socket.receive({ t: 'error', id: join.id, error: errorInfo(LOBBY_CLOSED_CODE, 'You left the lobby.') });
    await assert.rejects(joining, (e: { code: number }) => e.code === LOBBY_CLOSED_CODE);
    assert.equal(conference.HostController.inLobby, false);
    // Nothing listens any more: a late frame changes nothing.
    socket.receive({ t: 'conf.lobby.wait', conf: 'room', hostPresent: false, timeoutMs: 1 });
    assert.equal(waiting.length, 2);
  });
});
