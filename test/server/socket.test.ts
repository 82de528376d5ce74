import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { connectSocket, waitForClose, type SocketAttempt } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';
import { readSessionSecret, signSessionToken } from '../helpers/tokens.js';

const ORIGIN = 'http://localhost:1234';

function opened(attempt: SocketAttempt): Extract<SocketAttempt, { kind: 'open' }> {
  if (attempt.kind !== 'open')
    assert.fail(`expected an open socket, got HTTP ${attempt.status} ${JSON.stringify(attempt.body)}`);
  return attempt;
}

function refused(attempt: SocketAttempt): Extract<SocketAttempt, { kind: 'refused' }> {
  if (attempt.kind !== 'refused') {
    attempt.ws.terminate();
    assert.fail('expected the upgrade to be refused, but the socket opened');
  }
  assert.equal(attempt.opened, false);
  return attempt;
}

describe('WebSocket /1.0/ws', () => {
  let server: TestServer;
  let app: TestApp;
  let token: string;
  const sockets: WebSocket[] = [];

  before(async () => {
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost']);
    token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
  });
  after(async () => {
    for (const ws of sockets) ws.terminate();
    await server.stop();
  });

  /** Opens an authenticated socket for alice and keeps it for cleanup. */
  async function openAlice(): Promise<Extract<SocketAttempt, { kind: 'open' }>> {
    const attempt = opened(
      await connectSocket(server.url, {
        query: { uid: 'alice' },
        protocols: ['oovoo.v1', `oovoo.token.${token}`],
        origin: ORIGIN,
      }),
    );
    sockets.push(attempt.ws);
    return attempt;
  }

  describe('upgrade', () => {
    it("opens with protocol 'oovoo.v1' and a welcome frame first", async () => {
      const { ws, protocol, welcome } = await openAlice();

      assert.equal(protocol, 'oovoo.v1');
      assert.equal(welcome.t, 'welcome');
      assert.equal(welcome.uid, 'alice');
      assert.equal(welcome.app, app.appId);
      assert.equal(welcome.env, 'production');
      assert.equal(welcome.messaging, false);
      assert.equal(typeof welcome.connectionId, 'string');
      assert.equal(welcome.pingInterval, 20_000);
      assert.equal(welcome.pingTimeout, 10_000);
      assert.equal(typeof welcome.expiresAt, 'number');
      ws.close();
    });

    it('counts the open connection in /healthz', async () => {
      const { ws } = await openAlice();

      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { connections: number };

      assert.ok(health.connections >= 1);
      ws.close();
    });

    it('turns messaging on with messaging=1, and checks the app= query when it matches', async () => {
      const attempt = opened(
        await connectSocket(server.url, {
          query: { uid: 'alice', app: app.appId, messaging: '1' },
          protocols: ['oovoo.v1', `oovoo.token.${token}`],
          origin: ORIGIN,
        }),
      );
      sockets.push(attempt.ws);

      assert.equal(attempt.welcome.messaging, true);
      attempt.ws.close();
    });

    for (const origin of ['http://evil.com', 'null', 'http://localhost.evil.com', 'localhost', undefined]) {
      it(`refuses a web token from Origin ${String(origin)} with HTTP 403 -35001`, async () => {
        const attempt = refused(
          await connectSocket(server.url, {
            query: { uid: 'alice' },
            protocols: ['oovoo.v1', `oovoo.token.${token}`],
            origin,
          }),
        );

        assert.equal(attempt.status, 403);
        assert.equal(attempt.body.error.code, -35001);
      });
    }

    it('refuses without the oovoo.v1 subprotocol with HTTP 400 -40000', async () => {
      const attempt = refused(
        await connectSocket(server.url, {
          query: { uid: 'alice' },
          protocols: [`oovoo.token.${token}`],
          origin: ORIGIN,
        }),
      );

      assert.equal(attempt.status, 400);
      assert.equal(attempt.body.error.code, -40000);
    });

    it('refuses without a token with HTTP 401 -30001', async () => {
      const attempt = refused(
        await connectSocket(server.url, { query: { uid: 'alice' }, protocols: ['oovoo.v1'], origin: ORIGIN }),
      );

      assert.equal(attempt.status, 401);
      assert.equal(attempt.body.error.code, -30001);
    });

    it('refuses a uid that is not the token user with HTTP 403 -35001', async () => {
      const attempt = refused(
        await connectSocket(server.url, {
          query: { uid: 'bob' },
          protocols: ['oovoo.v1', `oovoo.token.${token}`],
          origin: ORIGIN,
        }),
      );

      assert.equal(attempt.status, 403);
      assert.equal(attempt.body.error.code, -35001);
    });

    it('refuses a missing uid or an unknown query field with HTTP 400 -40000', async () => {
      const noUid = refused(
        await connectSocket(server.url, { query: {}, protocols: ['oovoo.v1', `oovoo.token.${token}`], origin: ORIGIN }),
      );
      const extra = refused(
        await connectSocket(server.url, {
          query: { uid: 'alice', admin: '1' },
          protocols: ['oovoo.v1', `oovoo.token.${token}`],
          origin: ORIGIN,
        }),
      );

      assert.equal(noUid.status, 400);
      assert.equal(noUid.body.error.code, -40000);
      assert.equal(extra.status, 400);
      assert.equal(extra.body.error.code, -40000);
    });

    it('refuses the token of a blocked app with HTTP 403 -30004', async () => {
      const own = await server.createApp(['localhost']);
      const ownToken = await sessionTokenFor(server.url, own.token('web', 'sandbox'), 'alice');
      await server.apps.setBlocked(own.appId, true);

      const attempt = refused(
        await connectSocket(server.url, {
          query: { uid: 'alice' },
          protocols: ['oovoo.v1', `oovoo.token.${ownToken}`],
          origin: ORIGIN,
        }),
      );

      assert.equal(attempt.status, 403);
      assert.equal(attempt.body.error.code, -30004);
    });

    it('opens with a native session token and no Origin', async () => {
      const native = await server.context.sessions.issue({
        app: app.appId,
        uid: 'device-1',
        env: 'production',
        tt: 'native',
        appToken: app.tokenId('native', 'production'),
      });

      const attempt = opened(
        await connectSocket(server.url, {
          query: { uid: 'device-1' },
          protocols: ['oovoo.v1', `oovoo.token.${native}`],
        }),
      );
      sockets.push(attempt.ws);

      assert.equal(attempt.welcome.uid, 'device-1');
      assert.equal(attempt.protocol, 'oovoo.v1');
      attempt.ws.close();
    });
  });

  describe('frames', () => {
    it('answers {t:ping,ts:1} with {t:pong,ts:1}', async () => {
      const { ws, frames } = await openAlice();

      ws.send(JSON.stringify({ t: 'ping', ts: 1 }));

      assert.deepEqual(await frames.next(), { t: 'pong', ts: 1 });
      ws.close();
    });

    const badFrames: Array<[string, string]> = [
      ['an unknown frame type', JSON.stringify({ t: 'hello' })],
      ['a frame without a type', JSON.stringify({ ts: 1 })],
      ['a ping with an extra field', JSON.stringify({ t: 'ping', ts: 1, extra: true })],
      ['a ping with a string ts', JSON.stringify({ t: 'ping', ts: '1' })],
      ['a ping with a __proto__ key', '{"t":"ping","ts":1,"__proto__":{"admin":true}}'],
      ['a frame of type __proto__', '{"t":"__proto__"}'],
      ['a frame of type toString', '{"t":"toString"}'],
      ['a JSON array', '[1,2]'],
      ['JSON null', 'null'],
    ];
    for (const [name, text] of badFrames) {
      it(`answers ${name} with an error frame -40000 and stays open`, async () => {
        const { ws, frames } = await openAlice();

        ws.send(text);
        const error = await frames.next();
        ws.send(JSON.stringify({ t: 'ping', ts: 2 }));
        const pong = await frames.next();

        assert.equal(error.t, 'error');
        assert.equal(error.error.code, -40000);
        assert.equal(error.error.name, 'BadRequest');
        assert.equal(typeof error.error.description, 'string');
        assert.deepEqual(pong, { t: 'pong', ts: 2 });
        ws.close();
      });
    }

    it('echoes a string id of a refused frame in the error', async () => {
      const { ws, frames } = await openAlice();

      ws.send(JSON.stringify({ t: 'nope', id: 'req-7' }));

      assert.equal((await frames.next()).id, 'req-7');
      ws.close();
    });

    it('closes with 1007 on invalid JSON', async () => {
      const { ws } = await openAlice();
      const closed = waitForClose(ws);

      ws.send('{not json');

      assert.equal((await closed).code, 1007);
    });

    it('closes with 1003 on a binary frame', async () => {
      const { ws } = await openAlice();
      const closed = waitForClose(ws);

      ws.send(Buffer.from(JSON.stringify({ t: 'ping', ts: 1 })));

      assert.equal((await closed).code, 1003);
    });

    it('closes with 1009 on a frame over 64 KB', async () => {
      const { ws } = await openAlice();
      const closed = waitForClose(ws);

      ws.send(JSON.stringify({ t: 'ping', ts: 1, pad: 'x'.repeat(64 * 1024) }));

      assert.equal((await closed).code, 1009);
    });

    it('accepts a frame of exactly 64 KB (it is then judged by its schema)', async () => {
      const { ws, frames } = await openAlice();
      const base = JSON.stringify({ t: 'ping', ts: 1, pad: '' });
      const text = JSON.stringify({ t: 'ping', ts: 1, pad: 'x'.repeat(64 * 1024 - base.length) });
      assert.equal(Buffer.byteLength(text), 64 * 1024);

      ws.send(text);

      assert.equal((await frames.next()).error.code, -40000);
      ws.close();
    });
  });

  it('still serves HTTP and new sockets afterwards, and forgets closed ones', async () => {
    const { ws, frames } = await openAlice();
    ws.send(JSON.stringify({ t: 'ping', ts: 3 }));
    assert.deepEqual(await frames.next(), { t: 'pong', ts: 3 });
    const closed = waitForClose(ws);
    ws.close();
    await closed;

    // Closed sockets leave the registry; give the server a moment to see the close.
    await waitFor(
      async () => {
        const res = await fetch(`${server.url}/healthz`);
        assert.equal(res.status, 200);
        return ((await res.json()) as { connections: number }).connections;
      },
      (connections) => connections === 0,
      { what: 'no connection in /healthz' },
    );
  });
});

describe('WebSocket liveness and expiry', { concurrency: true }, () => {
  let server: TestServer;
  let app: TestApp;
  before(async () => {
    server = await startTestServer({ ...relaxedLimits, pingIntervalMs: 100, pingTimeoutMs: 100 });
    app = await server.createApp(['localhost']);
  });
  after(() => server.stop());

  it('pings clients, and the welcome frame announces the interval', async () => {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
    const attempt = opened(
      await connectSocket(server.url, {
        query: { uid: 'alice' },
        protocols: ['oovoo.v1', `oovoo.token.${token}`],
        origin: ORIGIN,
      }),
    );
    const pinged = new Promise<void>((resolve) => attempt.ws.once('ping', () => resolve()));

    await pinged;

    assert.equal(attempt.welcome.pingInterval, 100);
    assert.equal(attempt.welcome.pingTimeout, 100);
    attempt.ws.close();
  });

  it('terminates a client that answers no ping and sends nothing', async () => {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'silent');
    const attempt = opened(
      await connectSocket(server.url, {
        query: { uid: 'silent' },
        protocols: ['oovoo.v1', `oovoo.token.${token}`],
        origin: ORIGIN,
        autoPong: false,
      }),
    );

    const { code } = await waitForClose(attempt.ws, 3000);

    assert.equal(code, 1006);
  });

  it('keeps a client that answers pings', async () => {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'lively');
    const attempt = opened(
      await connectSocket(server.url, {
        query: { uid: 'lively' },
        protocols: ['oovoo.v1', `oovoo.token.${token}`],
        origin: ORIGIN,
      }),
    );

    // Past several pings, each checked for the pong of the one before, the server would have cut it.
    let pings = 0;
    attempt.ws.on('ping', () => pings++);
    await waitFor(() => pings >= 5 || attempt.ws.readyState !== attempt.ws.OPEN, { what: 'five pings' });

    assert.equal(attempt.ws.readyState, attempt.ws.OPEN);
    attempt.ws.close();
  });

  it('closes with 4001 when the session token expires (after the same 60 s leeway the upgrade allows)', async () => {
    // Expired 58 s ago: still inside the leeway at the upgrade, past it about 2 s later.
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await signSessionToken({
      secret: readSessionSecret(server.dataDir),
      claims: { app: app.appId, sub: 'alice', exp: now - 58, atk: app.tokenId('web', 'production') },
    });
    const attempt = opened(
      await connectSocket(server.url, {
        query: { uid: 'alice' },
        protocols: ['oovoo.v1', `oovoo.token.${shortLived}`],
        origin: ORIGIN,
      }),
    );
    const openedAt = Date.now();

    const { code, reason } = await waitForClose(attempt.ws, 6000);

    assert.ok(Date.now() - openedAt >= 500, 'a token inside the leeway must not be dropped at once');
    assert.equal(attempt.welcome.expiresAt, now - 58);
    assert.equal(code, 4001);
    assert.equal(reason, 'session expired');
  });

  it('closes every socket when the server stops', async () => {
    const other = await startTestServer(relaxedLimits);
    try {
      const own = await other.createApp(['localhost']);
      const token = await sessionTokenFor(other.url, own.token('web', 'production'), 'alice');
      const attempt = opened(
        await connectSocket(other.url, {
          query: { uid: 'alice' },
          protocols: ['oovoo.v1', `oovoo.token.${token}`],
          origin: ORIGIN,
        }),
      );
      const closed = waitForClose(attempt.ws);

      await other.stop();

      assert.equal((await closed).code, 1001);
    } finally {
      await other.stop();
    }
  });
});
