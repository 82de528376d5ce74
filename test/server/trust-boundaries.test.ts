import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { AppService } from '../../src/server/apps.js';
import { main } from '../../src/server/cli.js';
import { openSqliteStore } from '../../src/server/store/sqlite.js';
import { fastifyTrustProxy } from '../../src/server/trust-proxy.js';
import { OoVooClient } from '../../src/sdk/client.js';
import { ExponentialBackoffPolicy } from '../../src/sdk/signaling/reconnect-policy.js';
import { installNodeWebSocket } from '../helpers/node-sdk.js';
import { CapturingMailer, PortalClient } from '../helpers/portal.js';
import {
  relaxedLimits,
  sessionTokenFor,
  startTestServer,
  verifySession,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';
import { connectSocket, waitForClose, type FrameReader, type SocketAttempt } from '../helpers/socket.js';
import { withDeadline } from '../helpers/wait.js';

const ORIGIN = 'http://localhost:1234';
const root = fileURLToPath(new URL('../..', import.meta.url));
/** How often the server under test reads the store's access change feed. */
const ACCESS_CHECK_MS = 200;

type Open = Extract<SocketAttempt, { kind: 'open' }>;
type Refused = Extract<SocketAttempt, { kind: 'refused' }>;

/** Opens a messaging socket for the session token; fails the test if it is refused. */
async function openSocket(server: TestServer, token: string, uid: string): Promise<Open> {
  const attempt = await connectSocket(server.url, {
    query: { uid, messaging: '1' },
    protocols: ['oovoo.v1', `oovoo.token.${token}`],
    origin: ORIGIN,
  });
  if (attempt.kind !== 'open')
    assert.fail(`expected an open socket, got HTTP ${attempt.status} ${JSON.stringify(attempt.body)}`);
  return attempt;
}

async function refusedSocket(server: TestServer, token: string, uid: string): Promise<Refused> {
  const attempt = await connectSocket(server.url, {
    query: { uid, messaging: '1' },
    protocols: ['oovoo.v1', `oovoo.token.${token}`],
    origin: ORIGIN,
  });
  if (attempt.kind === 'open') {
    attempt.ws.terminate();
    assert.fail('the socket opened');
  }
  return attempt;
}

/** The first error frame without an id, skipping anything else the server sent first. */
async function sessionErrorFrame(frames: FrameReader, timeoutMs: number): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await frames.next(Math.max(1, deadline - Date.now()));
    if (frame?.t === 'error' && frame.id === undefined) return frame;
  }
}

/** A round trip on a socket that must still be in service. */
async function assertStillServing(socket: Open): Promise<void> {
  const ts = Date.now();
  socket.ws.send(JSON.stringify({ t: 'ping', ts }));
  const deadline = Date.now() + 2000;
  for (;;) {
    const frame = await socket.frames.next(Math.max(1, deadline - Date.now()));
    if (frame?.t === 'pong' && frame.ts === ts) return;
  }
}

/** Runs the CLI from source in its own process, as an operator would beside the running server. */
async function cliProcess(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const cli = pathToFileURL(join(root, 'src', 'server', 'cli.ts')).href;
  const script = `const { main } = await import(${JSON.stringify(cli)}); process.exitCode = await main(process.argv.slice(1));`;
  return promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, '--', ...args],
    { cwd: root, timeout: 60_000 },
  );
}

describe('trust boundaries', () => {
  let server: TestServer;
  let dataDir: string;
  const mailer = new CapturingMailer();
  const sockets: Open[] = [];
  const track = (socket: Open): Open => {
    sockets.push(socket);
    return socket;
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oovoo-trust-'));
    // An operator for the portal tests, made the way operators are made.
    const code = await main(
      ['admin', 'create', '--email', 'root@example.com', '--password', 'operator password', '--data', dataDir],
      () => undefined,
      () => undefined,
    );
    assert.equal(code, 0);
    server = await startTestServer({
      ...relaxedLimits,
      dataDir,
      accessCheckIntervalMs: ACCESS_CHECK_MS,
      portal: { mailer },
    });
  });
  after(async () => {
    for (const s of sockets) s.ws.terminate();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('blocking an app', () => {
    it('closes its connected messaging sockets at once with -30004 and 4001, refuses the reconnect, and leaves other apps alone', async () => {
      const blocked = await server.createApp(['localhost']);
      const other = await server.createApp(['localhost']);
      const token = await sessionTokenFor(server.url, blocked.token('web', 'production'), 'alice');
      const alice = track(await openSocket(server, token, 'alice'));
      const bob = track(
        await openSocket(server, await sessionTokenFor(server.url, blocked.token('web', 'sandbox'), 'bob'), 'bob'),
      );
      const carol = track(
        await openSocket(server, await sessionTokenFor(server.url, other.token('web', 'production'), 'carol'), 'carol'),
      );
      const closed = [waitForClose(alice.ws, 5000), waitForClose(bob.ws, 5000)];

      await server.apps.setBlocked(blocked.appId, true);

      for (const socket of [alice, bob]) {
        const frame = await sessionErrorFrame(socket.frames, 2000);
        assert.equal(frame.error.code, -30004);
        assert.equal(frame.error.name, 'BlockedAppId');
      }
      for (const close of await Promise.all(closed)) assert.deepEqual(close, { code: 4001, reason: 'app blocked' });
      const again = await refusedSocket(server, token, 'alice');
      assert.equal(again.status, 403);
      assert.equal(again.body.error.code, -30004);
      await assertStillServing(carol);
    });

    it('closes them within a bounded time when the block comes from the CLI in another process', async (t) => {
      const app = await server.createApp(['localhost']);
      const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
      const socket = track(await openSocket(server, token, 'alice'));
      const closed = waitForClose(socket.ws, 60_000);
      let closedAt = 0;
      socket.ws.once('close', () => (closedAt = Date.now()));
      const error = sessionErrorFrame(socket.frames, 60_000);
      const feedEnd = await server.store.accessChanges.latest();

      const run = await cliProcess('app', 'block', '--app', app.appId, '--data', dataDir, '--json');

      assert.equal(JSON.parse(run.stdout).blocked, true);
      assert.equal((await error).error.code, -30004);
      assert.deepEqual(await closed, { code: 4001, reason: 'app blocked' });
      // From the CLI's write (its feed row) to the close. The server polls every ACCESS_CHECK_MS;
      // allow for a busy machine, not for "never".
      const [written] = (await server.store.accessChanges.since(feedEnd, 10)).filter((c) => c.appId === app.appId);
      assert.ok(written, 'the CLI wrote a feed row');
      const lag = closedAt - written.at;
      t.diagnostic(`socket closed ${lag} ms after the CLI wrote the block (poll every ${ACCESS_CHECK_MS} ms)`);
      assert.ok(lag < ACCESS_CHECK_MS + 3000, `closed ${lag} ms after the CLI wrote the block`);
      const again = await refusedSocket(server, token, 'alice');
      assert.equal(again.status, 403);
      assert.equal(again.body.error.code, -30004);
    });

    it('through the portal (an operator), closes them with -30004 before the answer', async () => {
      const app = await server.createApp(['localhost']);
      const socket = track(
        await openSocket(server, await sessionTokenFor(server.url, app.token('web', 'production'), 'alice'), 'alice'),
      );
      const closed = waitForClose(socket.ws, 5000);
      const operator = new PortalClient(server.url);
      assert.equal((await operator.signIn('root@example.com', 'operator password')).status, 200);

      const res = await operator.request('PUT', `/apps/${app.appId}/blocked`, { blocked: true });

      assert.equal(res.status, 200);
      assert.equal((await sessionErrorFrame(socket.frames, 2000)).error.code, -30004);
      assert.equal((await closed).code, 4001);
    });

    it('deleting the app through the portal closes its sockets with -30001 before the answer', async () => {
      const app = await server.createApp(['localhost']);
      const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
      const socket = track(await openSocket(server, token, 'alice'));
      const closed = waitForClose(socket.ws, 5000);
      const operator = new PortalClient(server.url);
      assert.equal((await operator.signIn('root@example.com', 'operator password')).status, 200);

      const res = await operator.request('DELETE', `/apps/${app.appId}`);

      assert.equal(res.status, 204);
      assert.equal((await sessionErrorFrame(socket.frames, 2000)).error.code, -30001);
      assert.deepEqual(await closed, { code: 4001, reason: 'app deleted' });
      assert.equal((await refusedSocket(server, token, 'alice')).body.error.code, -30001);
    });

    it('the SDK reports -30004 as it stops, and does not reconnect', async () => {
      installNodeWebSocket('http://localhost:1234');
      const app = await server.createApp(['localhost']);
      const client = new OoVooClient();
      client.configure({
        server: server.url,
        reconnectPolicy: new ExponentialBackoffPolicy({ initialMs: 50, maxMs: 100, maxElapsedMs: 10_000 }),
      });
      await client.connect({
        userId: 'alice',
        userToken: await sessionTokenFor(server.url, app.token('web', 'production'), 'alice'),
        enableMessaging: true,
      });
      const states: string[] = [];
      client.events.on('connectionState', (state) => states.push(state));
      const disconnected = withDeadline(new Promise<any>((resolve) => client.events.on('disconnected', resolve)), {
        what: 'disconnected event',
        timeoutMs: 5000,
      });

      try {
        await server.apps.setBlocked(app.appId, true);

        assert.equal((await disconnected).code, -30004);
        // Closed is final in the SDK's state machine: it never goes through reconnecting.
        assert.deepEqual(states, ['closed']);
      } finally {
        client.disconnect();
      }
    });
  });

  describe('revoking an app token', () => {
    let app: TestApp;
    let second: { id: string; token: string };

    before(async () => {
      app = await server.createApp(['localhost']);
      second = await server.apps.createToken(app.appId, 'web', 'production');
    });

    it('ends the sessions it issued (socket closed with -30001, verify and reconnect refused); sessions of another token keep working', async () => {
      const revokedSession = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
      const keptSession = await sessionTokenFor(server.url, second.token, 'bob');
      const alice = track(await openSocket(server, revokedSession, 'alice'));
      const bob = track(await openSocket(server, keptSession, 'bob'));
      const closed = waitForClose(alice.ws, 5000);

      await server.apps.revokeToken(app.appId, app.tokenId('web', 'production'));

      const frame = await sessionErrorFrame(alice.frames, 2000);
      assert.equal(frame.error.code, -30001);
      assert.deepEqual(await closed, { code: 4001, reason: 'session revoked' });
      const verify = await verifySession(server.url, { token: revokedSession, userId: 'alice' });
      assert.equal(verify.status, 401);
      assert.equal(verify.body.error.code, -30001);
      const reconnect = await refusedSocket(server, revokedSession, 'alice');
      assert.equal(reconnect.status, 401);
      assert.equal(reconnect.body.error.code, -30001);

      await assertStillServing(bob);
      assert.equal((await verifySession(server.url, { token: keptSession, userId: 'bob' })).status, 200);
      const bobAgain = track(await openSocket(server, keptSession, 'bob'));
      assert.equal(bobAgain.welcome.uid, 'bob');
    });

    it('ends them too when another process revokes through its own store connection', async (t) => {
      const session = await sessionTokenFor(server.url, second.token, 'carol');
      const carol = track(await openSocket(server, session, 'carol'));
      const closed = waitForClose(carol.ws, 10_000);
      // Its own SQLite connection and AppService, as the CLI has: only the store's feed tells the server.
      const store = await openSqliteStore(dataDir);
      try {
        await new AppService(store).revokeToken(app.appId, second.id);
      } finally {
        await store.close();
      }
      const revokedAt = Date.now();

      assert.equal((await sessionErrorFrame(carol.frames, 10_000)).error.code, -30001);
      assert.equal((await closed).code, 4001);
      const lag = Date.now() - revokedAt;
      t.diagnostic(`socket closed ${lag} ms after the revocation (poll every ${ACCESS_CHECK_MS} ms)`);
      assert.ok(lag < ACCESS_CHECK_MS + 3000, `closed ${lag} ms after the revocation`);
      assert.equal((await verifySession(server.url, { token: session, userId: 'carol' })).body.error.code, -30001);
    });

    it('through the portal, closes the sessions before the answer', async () => {
      const own = await server.createApp(['localhost']);
      const socket = track(
        await openSocket(server, await sessionTokenFor(server.url, own.token('web', 'sandbox'), 'dave'), 'dave'),
      );
      const closed = waitForClose(socket.ws, 5000);
      const operator = new PortalClient(server.url);
      assert.equal((await operator.signIn('root@example.com', 'operator password')).status, 200);

      const res = await operator.request('DELETE', `/apps/${own.appId}/tokens/${own.tokenId('web', 'sandbox')}`);

      assert.equal(res.status, 204);
      assert.equal((await sessionErrorFrame(socket.frames, 2000)).error.code, -30001);
      assert.equal((await closed).code, 4001);
    });
  });
});

describe('--trust-proxy', () => {
  /** Per-address login limit: two requests, then 429 for a while. */
  const tightLogin = { loginRate: { burst: 2, perSecond: 0.01 }, failedLoginRate: relaxedLimits.failedLoginRate };

  /** A verify request that the per-address limit counts (an empty body is refused after the count). */
  async function verifyFrom(server: TestServer, forwardedFor: string): Promise<number> {
    const res = await fetch(`${server.url}/1.0/session/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: '{}',
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('with the proxy trusted, X-Forwarded-For chooses the per-address bucket', async () => {
    const server = await startTestServer({ ...tightLogin, trustProxy: '127.0.0.1,::1' });
    try {
      assert.deepEqual([await verifyFrom(server, '203.0.113.5'), await verifyFrom(server, '203.0.113.5')], [400, 400]);
      assert.equal(await verifyFrom(server, '203.0.113.5'), 429, 'that client is throttled');
      assert.equal(await verifyFrom(server, '203.0.113.6'), 400, 'another client behind the same proxy is not');
      assert.equal(
        await verifyFrom(server, '198.51.100.7, 203.0.113.5'),
        429,
        'the nearest untrusted hop is the client',
      );
    } finally {
      await server.stop();
    }
  });

  it('without it (the default), or with another proxy address, the header is ignored', async () => {
    for (const trustProxy of [undefined, '10.9.8.7']) {
      const server = await startTestServer({ ...tightLogin, ...(trustProxy ? { trustProxy } : {}) });
      try {
        assert.deepEqual(
          [await verifyFrom(server, '203.0.113.5'), await verifyFrom(server, '203.0.113.6')],
          [400, 400],
        );
        assert.equal(
          await verifyFrom(server, '203.0.113.7'),
          429,
          `one bucket for the peer (trustProxy ${trustProxy})`,
        );
      } finally {
        await server.stop();
      }
    }
  });

  it('takes addresses, CIDRs and named ranges; refuses hop counts, true-like values and garbage', () => {
    assert.equal(fastifyTrustProxy(undefined), false);
    assert.deepEqual(fastifyTrustProxy(' 127.0.0.1 , 10.0.0.0/8,::1,fd00::/8,loopback,192.168.0.0/255.255.0.0'), [
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
      '192.168.0.0/255.255.0.0',
    ]);
    for (const bad of ['1', '2', 'true', '*', '', 'nginx', '10.0.0.0/33', '::1/129', '300.1.1.1']) {
      assert.throws(() => fastifyTrustProxy(bad), /trust-proxy/, bad);
    }
  });

  it('oovoo-server start refuses a bad --trust-proxy (or OOVOO_TRUST_PROXY) with a usage error before starting', async () => {
    const err: string[] = [];
    const data = mkdtempSync(join(tmpdir(), 'oovoo-trust-cli-'));
    try {
      assert.equal(
        await main(
          ['start', '--port', '0', '--data', data, '--trust-proxy', '1'],
          () => undefined,
          (t) => err.push(t),
        ),
        2,
      );
      assert.match(err.join('\n'), /not a hop count/);
      process.env.OOVOO_TRUST_PROXY = 'not-an-address';
      try {
        assert.equal(
          await main(
            ['start', '--port', '0', '--data', data],
            () => undefined,
            (t) => err.push(t),
          ),
          2,
        );
      } finally {
        delete process.env.OOVOO_TRUST_PROXY;
      }
      assert.match(err.join('\n'), /"not-an-address" is not an IP address/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
