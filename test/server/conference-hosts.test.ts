import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import {
  CONFERENCE_LOCKED_CODE,
  LOBBY_CLOSED_CODE,
  LOBBY_DENIED_CODE,
  LOBBY_FULL_CODE,
  LOBBY_TIMEOUT_CODE,
  CONFERENCE_ROOMS_LIMIT_CODE,
} from '../../src/protocol/index.js';
import {
  readBody,
  relaxedLimits,
  verifySession,
  s2sLogin,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { jwtPayload, readSessionSecret, signSessionToken, withPayload } from '../helpers/tokens.js';

// Hosts and the lobby (issue 14): the role travels in the session token, every conf.host.* frame is
// checked by the server, and joins pass the room's lock and lobby.
const ORIGIN = 'http://localhost:1234';

/** The direct (client-side) login from a page of `origin`. */
async function clientLoginDirect(baseUrl: string, body: Record<string, unknown>, origin: string) {
  const response = await fetch(`${baseUrl}/1.0/sso/app/login/direct`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await readBody(response) };
}

async function hostToken(server: TestServer, app: TestApp, uid: string, role = 'host'): Promise<string> {
  const res = await s2sLogin(
    server.url,
    app.token('web', 'production'),
    JSON.stringify({ payload: { user_id: uid, role } }),
    {
      origin: 'localhost',
    },
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.payload.token;
}

describe('hosts and the lobby', () => {
  let server: TestServer;
  // Client-side login for sandbox tokens only: the production web token stays on the app's servers.
  let app: TestApp;
  const sockets: WebSocket[] = [];

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      conference: { graceMs: 0, maxLobby: 2, maxRoomsPerConnection: 2 },
    });
    app = await server.createApp(['localhost'], { clientLogin: 'sandbox' });
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  });

  async function open(uid: string, host = false, on = server): Promise<Peer> {
    const token = host ? await hostToken(on, app, uid) : undefined;
    const peer = await Peer.connect(on.url, app.token('web', 'production'), uid, {
      messaging: false,
      origin: ORIGIN,
      ...(token ? { token } : {}),
    });
    sockets.push(peer.ws);
    return peer;
  }
  const join = (c: Peer, conf: string) =>
    c.request({ t: 'conf.join', conf, uid: c.uid, userData: `ud-${c.uid}`, instance: `inst-${c.uid}-000` });
  const code = async (c: Peer, frame: Record<string, unknown>) => (await c.request(frame)).error?.code;

  describe('roles in session tokens', () => {
    it('the server-to-server login grants host only when asked, refuses any other role and client-side tokens', async () => {
      const at = app.token('web', 'production');
      const login = (payload: Record<string, unknown>, token = at) =>
        s2sLogin(server.url, token, JSON.stringify({ payload }), { origin: 'localhost' });
      assert.equal(jwtPayload(await hostToken(server, app, 'r-host')).role, 'host');
      const participant = await login({ user_id: 'r-part', role: 'participant' });
      assert.equal(jwtPayload(participant.body.payload.token).role, undefined, 'a participant token has no role claim');
      assert.equal(jwtPayload((await login({ user_id: 'r-default' })).body.payload.token).role, undefined);

      for (const role of ['admin', 'HOST', '', 1, null, ['host']]) {
        const res = await login({ user_id: 'r-bad', role });
        assert.equal(res.status, 400, `role ${JSON.stringify(role)}`);
        assert.equal(res.body.error.code, -40000);
        assert.match(res.body.error.description, /payload\.role/);
        assert.equal(res.body.payload, undefined, 'no token issued');
      }
      // The sandbox token logs in from pages here: anyone could read it, so it never makes a host.
      const fromPageToken = await login({ user_id: 'r-page', role: 'host' }, app.token('web', 'sandbox'));
      assert.equal(fromPageToken.status, 403);
      assert.equal(fromPageToken.body.error.code, -35001);
      assert.match(fromPageToken.body.error.description, /client-side login/);
      // Client-side login has no role field at all.
      const direct = await clientLoginDirect(
        server.url,
        { token: app.token('web', 'sandbox'), userId: 'r-direct', isSandbox: true, role: 'host' },
        ORIGIN,
      );
      assert.equal(direct.status, 400);
      assert.equal(direct.body.error.code, -40000);
      const plain = await clientLoginDirect(
        server.url,
        { token: app.token('web', 'sandbox'), userId: 'r-direct', isSandbox: true },
        ORIGIN,
      );
      assert.equal(plain.status, 200);
      assert.equal(jwtPayload(plain.body.payload.token).role, undefined);
    });

    it('a role claim changed by hand, or one the server does not know, makes the token invalid', async () => {
      const token = await hostToken(server, app, 'r-forge', 'participant');
      const forged = withPayload(token, { ...jwtPayload(token), role: 'host' });
      const signedOdd = await signSessionToken({
        secret: readSessionSecret(server.dataDir),
        claims: { app: app.appId, sub: 'r-forge', atk: app.tokenId('web', 'production'), role: 'admin' },
      });
      const signedHost = await signSessionToken({
        secret: readSessionSecret(server.dataDir),
        claims: { app: app.appId, sub: 'r-forge', atk: app.tokenId('web', 'production'), role: 'host' },
      });
      for (const bad of [forged, signedOdd]) {
        const res = await verifySession(server.url, { token: bad }, ORIGIN);
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, -30001);
      }
      // Signed by the server's own key, `host` is a host (the claim the CLI and portal mint too).
      assert.equal((await verifySession(server.url, { token: signedHost }, ORIGIN)).status, 200);
      const peer = await Peer.connect(server.url, '', 'r-forge', {
        token: signedHost,
        messaging: false,
        origin: ORIGIN,
      });
      sockets.push(peer.ws);
      assert.equal((await join(peer, 'role-check')).t, 'ack');
      assert.equal((await peer.next('conf.room')).role, 'host');
    });
  });

  describe('host actions', () => {
    it('a participant’s forged host frames are refused with -35001 and change nothing', async () => {
      const host = await open('f-host', true);
      const mallory = await open('f-mallory');
      const bob = await open('f-bob');
      for (const c of [host, mallory, bob]) assert.equal((await join(c, 'forged')).t, 'ack');
      const forged = [
        { t: 'conf.host.mute', conf: 'forged', uid: 'f-bob' },
        { t: 'conf.host.video', conf: 'forged', uid: 'f-bob' },
        { t: 'conf.host.remove', conf: 'forged', uid: 'f-bob', reason: 'bye' },
        { t: 'conf.host.remove', conf: 'forged', uid: 'f-host' },
        { t: 'conf.host.lock', conf: 'forged', locked: true },
        { t: 'conf.host.lobby', conf: 'forged', enabled: true },
        { t: 'conf.host.admit', conf: 'forged', uid: 'f-bob' },
        { t: 'conf.host.deny', conf: 'forged', uid: 'f-bob' },
      ];
      for (const frame of forged) assert.equal(await code(mallory, frame), -35001, frame.t);
      // In a room one is not in, even a host is refused.
      for (const frame of forged) assert.equal(await code(host, { ...frame, conf: 'not-mine' }), -35001, frame.t);
      await Promise.all([host.ping(), bob.ping()]);
      const room = server.conference.room(app.appId, 'forged')!;
      assert.deepEqual(
        room.participants().map((p) => [p.uid, p.muted, p.video]),
        [
          ['f-host', false, 'PLAY'],
          ['f-mallory', false, 'PLAY'],
          ['f-bob', false, 'PLAY'],
        ],
      );
      for (const t of [
        'conf.host.mute',
        'conf.host.video',
        'conf.host.lock',
        'conf.host.lobby',
        'conf.left',
        'conf.audio',
      ])
        assert.equal(bob.count(t) + host.count(t), 0, `nobody heard ${t}`);
      // Not locked, no lobby: another participant still gets straight in.
      assert.equal((await join(await open('f-carol'), 'forged')).t, 'ack');
    });

    it('a host mutes a participant, stops its video and removes it; the room sees each at once', async () => {
      const host = await open('a-host', true);
      const bob = await open('a-bob');
      const carol = await open('a-carol');
      await join(host, 'acts');
      const bobJoin = await join(bob, 'acts');
      assert.deepEqual(bobJoin.result.participants, [
        { uid: 'a-host', userData: 'ud-a-host', video: 'PLAY', host: true },
      ]);
      assert.deepEqual(await bob.next('conf.room'), {
        t: 'conf.room',
        conf: 'acts',
        role: 'participant',
        locked: false,
        lobby: false,
        hosts: ['a-host'],
      });
      await join(carol, 'acts');

      assert.deepEqual((await host.request({ t: 'conf.host.mute', conf: 'acts', uid: 'a-bob' })).result, {
        delivered: true,
      });
      assert.deepEqual(await bob.next('conf.host.mute'), { t: 'conf.host.mute', conf: 'acts', from: 'a-host' });
      assert.deepEqual(await carol.next('conf.audio'), { t: 'conf.audio', conf: 'acts', uid: 'a-bob', muted: true });
      // Only the participant unmutes: its own conf.audio is accepted as before.
      assert.equal((await bob.request({ t: 'conf.audio', conf: 'acts', muted: false })).t, 'ack');
      assert.equal((await carol.next('conf.audio')).muted, false);

      await host.request({ t: 'conf.host.video', conf: 'acts', uid: 'a-bob' });
      assert.deepEqual(await bob.next('conf.host.video'), { t: 'conf.host.video', conf: 'acts', from: 'a-host' });
      assert.deepEqual(await carol.next('conf.video'), {
        t: 'conf.video',
        conf: 'acts',
        uid: 'a-bob',
        state: 'PAUSED',
      });

      assert.equal(await code(host, { t: 'conf.host.mute', conf: 'acts', uid: 'a-host' }), -40000, 'not oneself');
      assert.equal(await code(host, { t: 'conf.host.remove', conf: 'acts', uid: 'nobody' }), -40000);
      assert.equal(
        await code(host, { t: 'conf.host.remove', conf: 'acts', uid: 'a-bob', reason: 'x'.repeat(201) }),
        -40000,
      );

      assert.equal(
        (await host.request({ t: 'conf.host.remove', conf: 'acts', uid: 'a-bob', reason: 'Off topic' })).t,
        'ack',
      );
      assert.deepEqual(await bob.next('conf.left'), {
        t: 'conf.left',
        conf: 'acts',
        uid: 'a-bob',
        reason: 'removed',
        by: 'a-host',
        message: 'Off topic',
      });
      assert.deepEqual(await carol.next('conf.left'), {
        t: 'conf.left',
        conf: 'acts',
        uid: 'a-bob',
        reason: 'removed',
      });
      assert.equal(server.conference.room(app.appId, 'acts')!.get('a-bob'), undefined);
      assert.equal(await code(bob, { t: 'conf.data', conf: 'acts', to: '', data: 'still here?' }), -35001);
      // Removed: no way back in while the room lasts (a host could not even admit it from a lobby).
      const again = await join(bob, 'acts');
      assert.equal(again.error.code, LOBBY_DENIED_CODE);
      assert.match(again.error.description, /removed you/);
    });
  });

  describe('the lock', () => {
    it('refuses participants while locked (saying whether a host is there), never a host, and ends with the room', async () => {
      const host = await open('l-host', true);
      const bob = await open('l-bob');
      await join(host, 'locked');
      await join(bob, 'locked');
      assert.equal((await host.request({ t: 'conf.host.lock', conf: 'locked', locked: true })).t, 'ack');
      assert.deepEqual(await bob.next('conf.host.lock'), {
        t: 'conf.host.lock',
        conf: 'locked',
        uid: 'l-host',
        locked: true,
      });

      const carol = await open('l-carol');
      const refused = await join(carol, 'locked');
      assert.equal(refused.error.code, CONFERENCE_LOCKED_CODE);
      assert.match(refused.error.description, /a host has to unlock it/);
      assert.equal(server.conference.room(app.appId, 'locked')!.size, 2, 'nobody was added');

      // The host leaves: the room stays locked, and says nobody can let you in.
      await host.request({ t: 'conf.leave', conf: 'locked' });
      const noHost = await join(carol, 'locked');
      assert.equal(noHost.error.code, CONFERENCE_LOCKED_CODE);
      assert.match(noHost.error.description, /no host is present/);
      // A host always gets in, and sees the room locked.
      const otherHost = await open('l-host2', true);
      assert.equal((await join(otherHost, 'locked')).t, 'ack');
      assert.deepEqual(await otherHost.next('conf.room'), {
        t: 'conf.room',
        conf: 'locked',
        role: 'host',
        locked: true,
        lobby: false,
        hosts: ['l-host2'],
        waiting: [],
      });
      await otherHost.request({ t: 'conf.host.lock', conf: 'locked', locked: false });
      assert.equal((await join(carol, 'locked')).t, 'ack');

      // Everyone leaves: the next room of that name starts unlocked.
      await otherHost.request({ t: 'conf.host.lock', conf: 'locked', locked: true });
      for (const c of [bob, carol, otherHost]) await c.request({ t: 'conf.leave', conf: 'locked' });
      assert.equal((await join(await open('l-dave'), 'locked')).t, 'ack');
    });
  });

  describe('the lobby', () => {
    it('holds a join until a host admits or denies it; hosts see each knock and its end', async () => {
      const host = await open('w-host', true);
      await join(host, 'lobby');
      await host.request({ t: 'conf.host.lobby', conf: 'lobby', enabled: true });

      const ann = await open('w-ann');
      const annJoin = join(ann, 'lobby');
      const wait = await ann.next('conf.lobby.wait');
      assert.equal(wait.hostPresent, true);
      assert.ok(wait.timeoutMs > 240_000 && wait.timeoutMs <= 300_000, `timeoutMs ${wait.timeoutMs}`);
      assert.deepEqual(await host.next('conf.lobby.knock'), {
        t: 'conf.lobby.knock',
        conf: 'lobby',
        uid: 'w-ann',
        userData: 'ud-w-ann',
      });
      assert.equal(
        server.conference.room(app.appId, 'lobby')!.get('w-ann'),
        undefined,
        'not in the room while waiting',
      );
      // A second host arriving sees who waits.
      const cohost = await open('w-cohost', true);
      await join(cohost, 'lobby');
      assert.deepEqual((await cohost.next('conf.room')).waiting, [{ uid: 'w-ann', userData: 'ud-w-ann' }]);

      assert.equal(await code(ann, { t: 'conf.host.admit', conf: 'lobby', uid: 'w-ann' }), -35001, 'not by oneself');
      assert.equal((await host.request({ t: 'conf.host.admit', conf: 'lobby', uid: 'w-ann' })).t, 'ack');
      const admitted = await annJoin;
      assert.equal(admitted.t, 'ack');
      assert.deepEqual(
        admitted.result.participants.map((p: { uid: string }) => p.uid),
        ['w-host', 'w-cohost'],
      );
      for (const h of [host, cohost])
        assert.deepEqual(await h.next('conf.lobby.gone'), {
          t: 'conf.lobby.gone',
          conf: 'lobby',
          uid: 'w-ann',
          outcome: 'admitted',
        });
      assert.equal(await code(host, { t: 'conf.host.admit', conf: 'lobby', uid: 'w-ann' }), -40000, 'nobody waits now');

      const ben = await open('w-ben');
      const benJoin = join(ben, 'lobby');
      await host.next((f) => f.t === 'conf.lobby.knock' && f.uid === 'w-ben');
      await cohost.request({ t: 'conf.host.deny', conf: 'lobby', uid: 'w-ben', reason: 'Invite only' });
      const denied = await benJoin;
      assert.equal(denied.error.code, LOBBY_DENIED_CODE);
      assert.equal(denied.error.description, 'A host did not let you in: Invite only');
      assert.equal((await host.next((f) => f.t === 'conf.lobby.gone' && f.uid === 'w-ben')).outcome, 'denied');
      assert.equal(server.conference.room(app.appId, 'lobby')!.get('w-ben'), undefined);

      // Turning the lobby off lets those waiting in.
      const cy = await open('w-cy');
      const cyJoin = join(cy, 'lobby');
      await host.next((f) => f.t === 'conf.lobby.knock' && f.uid === 'w-cy');
      await host.request({ t: 'conf.host.lobby', conf: 'lobby', enabled: false });
      assert.equal((await cyJoin).t, 'ack');
      assert.deepEqual(await ann.next('conf.host.lobby'), {
        t: 'conf.host.lobby',
        conf: 'lobby',
        uid: 'w-host',
        enabled: false,
      });
    });

    it('keeps waiting when the last host leaves (told no host is present), until a host, the timeout or the room’s end', async () => {
      // A server of its own with a short wait (and an app of its own).
      const short = await startTestServer({ ...relaxedLimits, conference: { graceMs: 0, lobbyWaitMs: 3000 } });
      const savedApp = app;
      app = await short.createApp(['localhost'], { clientLogin: 'sandbox' });
      try {
        const host = await open('h-host', true, short);
        const bob = await open('h-bob', false, short);
        await join(host, 'hostless');
        await join(bob, 'hostless');
        await host.request({ t: 'conf.host.lobby', conf: 'hostless', enabled: true });

        // The room ends (its last member leaves) while someone waits: the wait ends with it.
        const ann = await open('h-ann', false, short);
        const annJoin = join(ann, 'hostless');
        assert.equal((await ann.next('conf.lobby.wait')).hostPresent, true);
        await host.request({ t: 'conf.leave', conf: 'hostless' });
        assert.equal((await ann.next('conf.lobby.wait')).hostPresent, false, 'told nobody can let it in now');
        await bob.request({ t: 'conf.leave', conf: 'hostless' });
        const ended = await annJoin;
        assert.equal(ended.error.code, LOBBY_CLOSED_CODE);
        assert.match(ended.error.description, /conference ended/);
        assert.equal(short.conference.room(app.appId, 'hostless'), undefined);

        // A host comes back to a waiting join: the page hears it, the host sees the knock; then nobody answers.
        await join(host, 'hostless');
        await join(bob, 'hostless');
        await host.request({ t: 'conf.host.lobby', conf: 'hostless', enabled: true });
        await host.request({ t: 'conf.leave', conf: 'hostless' });
        const dan = await open('h-dan', false, short);
        const back = await open('h-back', true, short);
        const danJoin = join(dan, 'hostless');
        assert.equal((await dan.next('conf.lobby.wait')).hostPresent, false);
        await join(back, 'hostless');
        assert.deepEqual((await back.next('conf.room')).waiting, [{ uid: 'h-dan', userData: 'ud-h-dan' }]);
        assert.equal((await dan.next('conf.lobby.wait')).hostPresent, true);
        const timedOut = await danJoin;
        assert.equal(timedOut.error.code, LOBBY_TIMEOUT_CODE);
        assert.match(timedOut.error.description, /No host let you in/);
        assert.equal((await back.next('conf.lobby.gone')).outcome, 'timeout');
      } finally {
        app = savedApp;
        await short.stop();
      }
    });

    it('is bounded per room and per connection; a page may leave it, and a closed socket leaves it', async () => {
      // Each connection is in at most two rooms here: two hosts hold four rooms with a lobby.
      const hostA = await open('b-host-a', true);
      const hostB = await open('b-host-b', true);
      const rooms = [
        [hostA, 'bounded-1'],
        [hostA, 'bounded-2'],
        [hostB, 'bounded-3'],
        [hostB, 'bounded-4'],
      ] as const;
      for (const [h, conf] of rooms) {
        assert.equal((await join(h, conf)).t, 'ack');
        assert.equal((await h.request({ t: 'conf.host.lobby', conf, enabled: true })).t, 'ack');
      }

      const [w1, w2, w3] = [await open('b-1'), await open('b-2'), await open('b-3')];
      // Without a request id: its answer would never come once its socket is closed below.
      w1.send({ t: 'conf.join', conf: 'bounded-1', uid: 'b-1', instance: 'inst-b-1-000' });
      const w2Join = join(w2, 'bounded-1');
      await w1.next('conf.lobby.wait');
      await w2.next('conf.lobby.wait');
      const full = await join(w3, 'bounded-1');
      assert.equal(full.error.code, LOBBY_FULL_CODE, 'the lobby of a room holds two here');

      const w3Joins = [join(w3, 'bounded-2'), join(w3, 'bounded-3')];
      await w3.next('conf.lobby.wait');
      await w3.next('conf.lobby.wait');
      const tooMany = await join(w3, 'bounded-4');
      assert.equal(tooMany.error.code, CONFERENCE_ROOMS_LIMIT_CODE, 'one connection waits in two lobbies at most');
      assert.match(tooMany.error.description, /lobbies/);

      // Leaving a lobby ends that join; the hosts see the knock go.
      assert.equal((await w3.request({ t: 'conf.lobby.leave', conf: 'bounded-2' })).t, 'ack');
      assert.equal((await w3Joins[0]!).error.code, LOBBY_CLOSED_CODE);
      assert.equal((await hostA.next((f) => f.t === 'conf.lobby.gone' && f.uid === 'b-3')).outcome, 'left');
      assert.equal(await code(w3, { t: 'conf.lobby.leave', conf: 'bounded-2' }), -40000, 'not waiting any more');

      // A closed socket leaves every lobby it waited in.
      w1.ws.terminate();
      assert.equal((await hostA.next((f) => f.t === 'conf.lobby.gone' && f.uid === 'b-1')).outcome, 'left');
      await hostA.request({ t: 'conf.host.admit', conf: 'bounded-1', uid: 'b-2' });
      assert.equal((await w2Join).t, 'ack');
      await hostB.request({ t: 'conf.host.admit', conf: 'bounded-3', uid: 'b-3' });
      assert.equal((await w3Joins[1]!).t, 'ack');
    });
  });
});
