import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JanusClient, type JanusClientEvents } from '../../src/server/sfu/janus-client.js';
import { JanusError } from '../../src/server/sfu/janus-messages.js';
import { VIDEOROOM_PLUGIN, VideoRoomControl } from '../../src/server/sfu/videoroom.js';
import { waitFor } from '../helpers/wait.js';
import { nextEvent, startFakeJanus, startTestJanus, type TestJanus } from './janus-fixture.js';

/** An event of the client as a promise. */
function clientEvent<E extends keyof JanusClientEvents>(
  client: JanusClient,
  event: E,
  ok: (value: Parameters<JanusClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 20_000,
) {
  type V = Parameters<JanusClientEvents[E]>[0];
  return nextEvent<V>(
    (listener) => client.on(event, ((v: V) => listener(v)) as JanusClientEvents[E]),
    ok,
    timeoutMs,
    event,
  );
}

describe('JanusClient against a real Janus', () => {
  let janus: TestJanus;
  const clients: JanusClient[] = [];
  const connect = async (options: Partial<ConstructorParameters<typeof JanusClient>[0]> = {}) => {
    const client = new JanusClient({ url: janus.url, reconnectDelayMs: { initial: 50, max: 300 }, ...options });
    clients.push(client);
    await client.start();
    return client;
  };

  before(async () => {
    // A short session timeout, so keepalives are what keeps a session open.
    janus = await startTestJanus({ sessionTimeoutSec: 3 });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await janus.stop();
  });

  it('keeps its session past session_timeout with keepalives, while a silent session times out and is replaced', async () => {
    const kept = await connect({ keepaliveMs: 500 });
    const silent = await connect({ keepaliveMs: 60_000 });
    const keptSession = kept.sessionInfo;
    const silentSession = silent.sessionInfo;
    assert.equal(keptSession?.epoch, 1);
    let keptLost = false;
    kept.on('lost', () => (keptLost = true));

    // Janus drops the silent session after its 3 s timeout; the client reports it and makes a fresh one.
    const lost = clientEvent(silent, 'lost');
    const fresh = clientEvent(silent, 'session');
    assert.match((await lost).reason, /timed the session out/);
    const replaced = await fresh;
    assert.equal(replaced.epoch, 2);
    assert.notEqual(replaced.sessionId, silentSession?.sessionId);

    // By then more than session_timeout has passed: the kept session is the same one, and usable.
    assert.equal(keptLost, false);
    assert.deepEqual(kept.sessionInfo, keptSession);
    const handle = await kept.attach(VIDEOROOM_PLUGIN);
    assert.equal(handle.epoch, 1);
    await handle.detach();
  });

  it('maps Janus and plugin error answers to JanusErrors with their codes', async () => {
    const client = await connect();
    await assert.rejects(client.attach('janus.plugin.nonexistent'), (e: unknown) => {
      assert.ok(e instanceof JanusError);
      assert.equal(e.kind, 'janus');
      assert.equal(e.code, 460); // JANUS_ERROR_PLUGIN_NOT_FOUND
      assert.match(e.message, /attach janus\.plugin\.nonexistent/);
      return true;
    });
    const control = await VideoRoomControl.attach(client);
    await assert.rejects(control.destroyRoom(987_654), (e: unknown) => {
      assert.ok(e instanceof JanusError);
      assert.equal(e.kind, 'plugin');
      assert.equal(e.code, 426); // JANUS_VIDEOROOM_ERROR_NO_SUCH_ROOM
      assert.match(e.message, /videoroom\.destroy/);
      return true;
    });
    await control.detach();
  });

  it('creates and destroys rooms, which need the admin key', async () => {
    const client = await connect();
    const control = await VideoRoomControl.attach(client);
    await assert.rejects(control.createRoom({ room: 1001 }), (e: unknown) => e instanceof JanusError && e.code === 429);
    await control.createRoom({ room: 1001, adminKey: 'test-admin-key', secret: 's3cret' });
    assert.equal(await control.exists(1001), true);
    await assert.rejects(
      control.createRoom({ room: 1001, adminKey: 'test-admin-key' }),
      (e: unknown) => e instanceof JanusError && e.kind === 'plugin' && e.code === 427,
    );
    await assert.rejects(control.destroyRoom(1001, 'wrong'), (e: unknown) => e instanceof JanusError && e.code === 433);
    await control.destroyRoom(1001, 's3cret');
    assert.equal(await control.exists(1001), false);
    await control.detach();
  });

  it('closes cleanly: its handles are gone and later requests fail', async () => {
    const client = await connect();
    const handle = await client.attach(VIDEOROOM_PLUGIN);
    let detached = false;
    handle.on('detached', () => (detached = true));
    await client.close();
    assert.equal(client.state, 'closed');
    assert.equal(detached, true);
    assert.equal(handle.alive, false);
    await assert.rejects(
      client.attach(VIDEOROOM_PLUGIN),
      (e: unknown) => e instanceof JanusError && e.kind === 'connection',
    );
    await assert.rejects(handle.message({ request: 'list' }), (e: unknown) => e instanceof JanusError);
  });

  it('reports a killed Janus, ends its handles, and reconnects with a new session when Janus is back', async () => {
    const client = await connect({ requestTimeoutMs: 5_000 });
    const control = await VideoRoomControl.attach(client);
    await control.createRoom({ room: 2002, adminKey: 'test-admin-key' });
    const first = client.sessionInfo;
    let controlDetached = false;
    control.handle.on('detached', () => (controlDetached = true));

    const lost = clientEvent(client, 'lost');
    const unexpectedExit = new Promise((resolve) => janus.janus.onExit(resolve));
    process.kill(janus.janus.pid as number, 'SIGKILL');
    assert.deepEqual(await unexpectedExit, {
      code: null,
      signal: 'SIGKILL',
      expected: false,
      lastLines: janus.janus.recentLog,
    });
    assert.equal((await lost).epoch, first?.epoch);
    assert.equal(controlDetached, true);
    await assert.rejects(control.exists(2002), (e: unknown) => e instanceof JanusError && e.kind === 'connection');
    // While Janus is down the client keeps retrying, and says so.
    const retry = await clientEvent(client, 'retry');
    assert.ok(retry.delayMs > 0);
    assert.equal(client.state, 'reconnecting');

    const back = clientEvent(client, 'session');
    await janus.restart();
    const second = await back;
    assert.equal(second.epoch, (first?.epoch ?? 0) + 1);
    assert.notEqual(second.sessionId, first?.sessionId);
    assert.equal(client.state, 'ready');
    // The new Janus has no rooms: the owner rebuilds them on `session`.
    const rebuilt = await VideoRoomControl.attach(client);
    assert.equal(await rebuilt.exists(2002), false);
    await rebuilt.detach();
  });
});

describe('JanusClient transactions', () => {
  it('fails a request Janus does not answer within the timeout, and keeps the session', async () => {
    const fake = await startFakeJanus(() => undefined);
    const client = new JanusClient({ url: fake.url, requestTimeoutMs: 300 });
    try {
      await client.start();
      const started = Date.now();
      await assert.rejects(client.attach(VIDEOROOM_PLUGIN), (e: unknown) => {
        assert.ok(e instanceof JanusError);
        assert.equal(e.kind, 'timeout');
        assert.match(e.message, /did not answer attach janus\.plugin\.videoroom within 300 ms/);
        return true;
      });
      assert.ok(Date.now() - started >= 290);
      assert.equal(client.state, 'ready');
      await client.close();
      assert.deepEqual(
        fake.requests.filter((r) => r.janus === 'destroy').map((r) => r.session_id),
        [42],
        'close() destroys the session',
      );
    } finally {
      await client.close();
      await fake.close();
    }
  });

  it('fails pending requests when the connection drops, then reconnects with a fresh session', async () => {
    const fake = await startFakeJanus(() => undefined);
    const client = new JanusClient({ url: fake.url, reconnectDelayMs: { initial: 20, max: 100 } });
    try {
      await client.start();
      const pending = client.attach(VIDEOROOM_PLUGIN);
      const lost = clientEvent(client, 'lost');
      const fresh = clientEvent(client, 'session');
      await waitFor(() => fake.requests.some((r) => r.janus === 'attach'), {
        what: 'the attach request',
        timeoutMs: 5_000,
        intervalMs: 10,
      });
      for (const socket of fake.sockets) socket.terminate();
      await assert.rejects(pending, (e: unknown) => e instanceof JanusError && e.kind === 'connection');
      assert.deepEqual(await lost, { epoch: 1, reason: 'socket closed (1006)' });
      assert.equal((await fresh).epoch, 2);
      assert.equal(fake.requests.filter((r) => r.janus === 'create').length, 2);
    } finally {
      await client.close();
      await fake.close();
    }
  });

  it('refuses requests beyond the bound on pending ones', async () => {
    const fake = await startFakeJanus(() => undefined);
    const client = new JanusClient({ url: fake.url, requestTimeoutMs: 500, maxPendingRequests: 2 });
    try {
      await client.start();
      const first = client.attach(VIDEOROOM_PLUGIN);
      const second = client.attach(VIDEOROOM_PLUGIN);
      await assert.rejects(
        client.attach(VIDEOROOM_PLUGIN),
        (e: unknown) => e instanceof JanusError && e.kind === 'overloaded',
      );
      await assert.rejects(first, (e: unknown) => e instanceof JanusError && e.kind === 'timeout');
      await assert.rejects(second, (e: unknown) => e instanceof JanusError && e.kind === 'timeout');
    } finally {
      await client.close();
      await fake.close();
    }
  });

  it('routes events to the handle named by sender, and resolves an asynchronous request on its event, not its ack', async () => {
    const fake = await startFakeJanus((request, reply) => {
      if (request.janus === 'attach') reply({ janus: 'success', data: { id: 7 } });
      if (request.janus === 'message') {
        reply({ janus: 'ack', session_id: 42 });
        reply({
          janus: 'event',
          session_id: 42,
          sender: 7,
          plugindata: { plugin: VIDEOROOM_PLUGIN, data: { videoroom: 'event', started: 'ok' } },
        });
      }
    });
    const client = new JanusClient({ url: fake.url });
    try {
      await client.start();
      const handle = await client.attach(VIDEOROOM_PLUGIN);
      const seen: string[] = [];
      handle.on('webrtcup', () => seen.push('webrtcup'));
      handle.on('slowlink', (s) => seen.push(`slowlink ${s.mid} ${s.uplink}`));
      handle.on('event', (data) => seen.push(`event ${String(data.videoroom)}`));
      const reply = await handle.message({ request: 'start' });
      assert.deepEqual(reply.data, { videoroom: 'event', started: 'ok' });
      const socket = [...fake.sockets][0];
      const detached = new Promise<void>((resolve) => handle.on('detached', resolve));
      for (const m of [
        { janus: 'webrtcup', session_id: 42, sender: 7 },
        { janus: 'webrtcup', session_id: 42, sender: 8 }, // another handle: not ours
        { janus: 'slowlink', session_id: 42, sender: 7, mid: '1', uplink: true, lost: 5 },
        {
          janus: 'event',
          session_id: 42,
          sender: 7,
          plugindata: { plugin: VIDEOROOM_PLUGIN, data: { videoroom: 'updated' } },
        },
        { janus: 'detached', session_id: 42, sender: 7 },
      ])
        socket?.send(JSON.stringify(m));
      await detached;
      assert.deepEqual(seen, ['webrtcup', 'slowlink 1 true', 'event updated']);
      assert.equal(handle.alive, false);
    } finally {
      await client.close();
      await fake.close();
    }
  });
});
