import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { SessionTokenError, SessionTokens } from '../../src/server/session-tokens.js';
import {
  relaxedLimits,
  sessionTokenFor,
  startTestServer,
  verifySession,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';
import { connectSocket } from '../helpers/socket.js';
import {
  jwtPayload,
  readSessionSecret,
  sessionKey,
  signSessionToken,
  unsignedToken,
  withPayload,
} from '../helpers/tokens.js';

const ORIGIN = 'http://localhost:1234';
/** An app token id, for tokens made without a server. */
const ATK = 'AAAAAAAAAAAAAAAA';
const now = () => Math.floor(Date.now() / 1000);

interface Fixture {
  server: TestServer;
  secret: Buffer;
  appA: TestApp;
  appB: TestApp;
  /** A valid production web session token of app A for user alice. */
  valid: string;
  /** Id of the app token that issued `valid` (its `atk` claim). */
  atkA: string;
}

/** A session token presented with the ids it is presented for. */
type Presented = {
  token: string;
  userId: string;
  appId?: string;
};

/** Every way a session token must be refused with -30001, built against a running server. */
const refusedTokens: Array<[string, (f: Fixture) => Promise<Presented>]> = [
  [
    'a forged payload (sub changed, signature kept)',
    async (f) => ({ token: withPayload(f.valid, { ...jwtPayload(f.valid), sub: 'mallory' }), userId: 'mallory' }),
  ],
  [
    'a forged payload (env changed, signature kept)',
    async (f) => ({ token: withPayload(f.valid, { ...jwtPayload(f.valid), env: 'sandbox' }), userId: 'alice' }),
  ],
  [
    'an expired token (exp 120 s ago, beyond the 60 s leeway)',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iat: now() - 3600, exp: now() - 120 },
      }),
      userId: 'alice',
    }),
  ],
  ['alg: none', async (f) => ({ token: unsignedToken({ ...jwtPayload(f.valid) }), userId: 'alice' })],
  [
    'alg: none keeping the original signature',
    async (f) => {
      const [, payload, signature] = f.valid.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return { token: `${header}.${payload}.${signature}`, userId: 'alice' };
    },
  ],
  [
    'HS512 with the right key',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        alg: 'HS512',
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA },
      }),
      userId: 'alice',
    }),
  ],
  [
    'HS384 with the right key',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        alg: 'HS384',
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA },
      }),
      userId: 'alice',
    }),
  ],
  [
    'the HS256 header swapped for HS512 on a valid token',
    async (f) => {
      const [, payload, signature] = f.valid.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'HS512', typ: 'JWT' })).toString('base64url');
      return { token: `${header}.${payload}.${signature}`, userId: 'alice' };
    },
  ],
  [
    'signed with the wrong secret',
    async (f) => ({
      token: await signSessionToken({
        secret: randomBytes(32),
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA },
      }),
      userId: 'alice',
    }),
  ],
  [
    'signed with the raw server secret instead of the app key',
    async (f) => ({
      token: await new SignJWT({ ...jwtPayload(f.valid) })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new Uint8Array(f.secret)),
      userId: 'alice',
    }),
  ],
  [
    'without exp',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, exp: undefined },
      }),
      userId: 'alice',
    }),
  ],
  [
    'without iss',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iss: undefined },
      }),
      userId: 'alice',
    }),
  ],
  [
    'with another audience',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, aud: 'other' },
      }),
      userId: 'alice',
    }),
  ],
  [
    'with an unknown env',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, env: 'staging' },
      }),
      userId: 'alice',
    }),
  ],
  [
    "signed with app A's key but claiming app B",
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        keyApp: f.appA.appId,
        claims: { app: f.appB.appId, sub: 'alice', atk: f.atkA },
      }),
      userId: 'alice',
    }),
  ],
  [
    "app A's valid token relabelled app B (signature kept)",
    async (f) => ({ token: withPayload(f.valid, { ...jwtPayload(f.valid), app: f.appB.appId }), userId: 'alice' }),
  ],
  ["app A's valid token presented for app B", async (f) => ({ token: f.valid, userId: 'alice', appId: f.appB.appId })],
  ['an app token (ovt1…)', async (f) => ({ token: f.appA.token('web', 'production'), userId: 'alice' })],
  [
    'a token of an app that does not exist',
    async (f) => ({
      token: await signSessionToken({ secret: f.secret, claims: { app: 'NOSUCHAPP', sub: 'alice', atk: f.atkA } }),
      userId: 'alice',
    }),
  ],
  ['garbage in three parts', async () => ({ token: 'abc.def.ghi', userId: 'alice' })],
  [
    'an iat 120 s in the future (beyond the 60 s leeway)',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iat: now() + 120, exp: now() + 600 },
      }),
      userId: 'alice',
    }),
  ],
  [
    'a lifetime (exp - iat) of 3601 s, over the configured 3600',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iat: now(), exp: now() + 3601 },
      }),
      userId: 'alice',
    }),
  ],
  [
    'a lifetime of a year, issued an hour ago',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iat: now() - 3600, exp: now() + 365 * 86400 },
      }),
      userId: 'alice',
    }),
  ],
  [
    'without atk (the issuing app token)',
    async (f) => ({
      token: await signSessionToken({ secret: f.secret, claims: { app: f.appA.appId, sub: 'alice' } }),
      userId: 'alice',
    }),
  ],
  [
    'naming an app token that does not exist',
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: 'ZZZZZZZZZZZZZZZZ' },
      }),
      userId: 'alice',
    }),
  ],
  [
    "naming app B's token while signed for app A",
    async (f) => ({
      token: await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.appB.tokenId('web', 'production') },
      }),
      userId: 'alice',
    }),
  ],
];

describe('session tokens', () => {
  const f = {} as Fixture;

  before(async () => {
    f.server = await startTestServer(relaxedLimits);
    f.secret = readSessionSecret(f.server.dataDir);
    f.appA = await f.server.createApp(['localhost']);
    f.appB = await f.server.createApp(['localhost']);
    f.valid = await sessionTokenFor(f.server.url, f.appA.token('web', 'production'), 'alice');
    f.atkA = f.appA.tokenId('web', 'production');
  });
  after(() => f.server.stop());

  describe('POST /1.0/session/verify', () => {
    it('accepts a valid token and says what it is for', async () => {
      const res = await verifySession(f.server.url, { token: f.valid, userId: 'alice' });

      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        payload: { app: f.appA.appId, uid: 'alice', env: 'production', expiresAt: jwtPayload(f.valid).exp },
      });
    });

    it('accepts a token signed by hand with the documented key derivation (so the refusals below are meaningful)', async () => {
      const token = await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'carol', atk: f.atkA },
      });

      const res = await verifySession(f.server.url, { token, userId: 'carol', appId: f.appA.appId });

      assert.equal(res.status, 200);
      assert.equal(res.body.payload.uid, 'carol');
    });

    it('accepts an iat 30 s in the future (60 s leeway) and a lifetime of exactly the configured 3600 s', async () => {
      const token = await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iat: now() + 30, exp: now() + 30 + 3600 },
      });

      const res = await verifySession(f.server.url, { token, userId: 'alice' });

      assert.equal(res.status, 200, JSON.stringify(res.body));
    });

    it('accepts a token expired 30 s ago (60 s leeway)', async () => {
      const token = await signSessionToken({
        secret: f.secret,
        claims: { app: f.appA.appId, sub: 'alice', atk: f.atkA, iat: now() - 3600, exp: now() - 30 },
      });

      const res = await verifySession(f.server.url, { token, userId: 'alice' });

      assert.equal(res.status, 200);
    });

    for (const [name, make] of refusedTokens) {
      it(`refuses ${name} with 401 -30001`, async () => {
        const presented = await make(f);

        const res = await verifySession(f.server.url, presented);

        assert.equal(res.status, 401, JSON.stringify(res.body));
        assert.equal(res.body.error.code, -30001);
        assert.equal(res.body.error.name, 'InvalidToken');
      });
    }

    it('refuses a valid token for a different userId with 403 -35001', async () => {
      const res = await verifySession(f.server.url, { token: f.valid, userId: 'bob' });

      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, -35001);
    });

    it('refuses a web token from a foreign or missing Origin with 403 -35001', async () => {
      for (const origin of ['http://evil.com', 'null', 'localhost', 'http://localhost.evil.com', null]) {
        const res = await verifySession(f.server.url, { token: f.valid, userId: 'alice' }, origin);
        assert.equal(res.status, 403, String(origin));
        assert.equal(res.body.error.code, -35001, String(origin));
      }
    });

    it('accepts a native token without an Origin', async () => {
      const token = await f.server.context.sessions.issue({
        app: f.appA.appId,
        uid: 'n1',
        env: 'production',
        tt: 'native',
        appToken: f.appA.tokenId('native', 'production'),
      });

      const res = await verifySession(f.server.url, { token, userId: 'n1' }, null);

      assert.equal(res.status, 200);
    });

    it('refuses the token of a blocked app with 403 -30004', async () => {
      const own = await f.server.createApp(['localhost']);
      const token = await sessionTokenFor(f.server.url, own.token('web', 'production'), 'alice');
      await f.server.apps.setBlocked(own.appId, true);

      const res = await verifySession(f.server.url, { token, userId: 'alice' });

      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, -30004);
    });

    it('refuses bodies that do not fit the schema with 400 -40000', async () => {
      const bodies = [{}, { token: '' }, { token: f.valid, extra: 1 }, { token: 'x'.repeat(4097) }, { token: 42 }];
      for (const body of bodies) {
        const res = await verifySession(f.server.url, body);
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(res.body.error.code, -40000);
      }
    });
  });

  describe('WebSocket upgrade (/1.0/ws)', () => {
    it('accepts the valid token (so the refusals below are meaningful)', async () => {
      const attempt = await connectSocket(f.server.url, {
        query: { uid: 'alice' },
        protocols: ['oovoo.v1', `oovoo.token.${f.valid}`],
        origin: ORIGIN,
      });

      assert.equal(attempt.kind, 'open');
      if (attempt.kind === 'open') attempt.ws.close();
    });

    for (const [name, make] of refusedTokens) {
      it(`refuses ${name} with HTTP 401 -30001 and never opens`, async () => {
        const presented = await make(f);

        const attempt = await connectSocket(f.server.url, {
          query: { uid: presented.userId, ...(presented.appId ? { app: presented.appId } : {}) },
          protocols: ['oovoo.v1', `oovoo.token.${presented.token}`],
          origin: ORIGIN,
        });

        if (attempt.kind === 'open') {
          attempt.ws.terminate();
          assert.fail('the socket opened');
        }
        assert.equal(attempt.status, 401);
        assert.equal(attempt.opened, false);
        assert.equal(attempt.body.error.code, -30001);
      });
    }
  });
});

describe('SessionTokens', () => {
  const secret = randomBytes(32);
  const tokens = new SessionTokens(secret, 600);

  it('round-trips issue and verify', async () => {
    const token = await tokens.issue({ app: 'APP1', uid: 'alice', env: 'sandbox', tt: 'native', appToken: ATK });

    const claims = await tokens.verify(token);

    assert.equal(claims.app, 'APP1');
    assert.equal(claims.uid, 'alice');
    assert.equal(claims.env, 'sandbox');
    assert.equal(claims.tt, 'native');
    assert.equal(claims.exp - claims.iat, 600);
    assert.ok(Math.abs(claims.iat - now()) <= 2);
    assert.match(claims.jti, /^[0-9a-f-]{36}$/);
  });

  it('gives every token its own jti', async () => {
    const a = await tokens.verify(
      await tokens.issue({ app: 'APP1', uid: 'u', env: 'production', tt: 'web', appToken: ATK }),
    );
    const b = await tokens.verify(
      await tokens.issue({ app: 'APP1', uid: 'u', env: 'production', tt: 'web', appToken: ATK }),
    );

    assert.notEqual(a.jti, b.jti);
  });

  it('verifies a token expired 30 s ago (60 s leeway)', async () => {
    const token = await signSessionToken({
      secret,
      claims: { app: 'APP1', sub: 'u', atk: ATK, iat: now() - 600, exp: now() - 30 },
    });

    const claims = await tokens.verify(token);

    assert.equal(claims.uid, 'u');
  });

  it("refuses a token expired 120 s ago with reason 'expired'", async () => {
    const token = await signSessionToken({
      secret,
      claims: { app: 'APP1', sub: 'u', atk: ATK, iat: now() - 600, exp: now() - 120 },
    });

    await assert.rejects(
      tokens.verify(token),
      (e: unknown) => e instanceof SessionTokenError && e.reason === 'expired',
    );
  });

  it("refuses a token of another server's secret with reason 'invalid'", async () => {
    const other = new SessionTokens(randomBytes(32), 600);
    const token = await other.issue({ app: 'APP1', uid: 'u', env: 'sandbox', tt: 'web', appToken: ATK });

    await assert.rejects(
      tokens.verify(token),
      (e: unknown) => e instanceof SessionTokenError && e.reason === 'invalid',
    );
  });

  it('refuses a token signed with one app key and claiming another', async () => {
    const token = await new SignJWT({ app: 'APP2', env: 'sandbox', tt: 'web' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('oovoo-elements')
      .setAudience('oovoo-session')
      .setIssuedAt()
      .setExpirationTime('10m')
      .setJti('j')
      .sign(sessionKey(secret, 'APP1'));

    await assert.rejects(
      tokens.verify(token),
      (e: unknown) => e instanceof SessionTokenError && e.reason === 'invalid',
    );
  });

  it("refuses an iat beyond the leeway in the future, and a lifetime over the configured one, with reason 'invalid'", async () => {
    const future = await signSessionToken({
      secret,
      claims: { app: 'APP1', sub: 'u', atk: ATK, iat: now() + 61 + 5, exp: now() + 300 },
    });
    const long = await signSessionToken({
      secret,
      claims: { app: 'APP1', sub: 'u', atk: ATK, iat: now(), exp: now() + 601 },
    });
    const exact = await signSessionToken({
      secret,
      claims: { app: 'APP1', sub: 'u', atk: ATK, iat: now(), exp: now() + 600 },
    });

    await assert.rejects(
      tokens.verify(future),
      (e: unknown) => e instanceof SessionTokenError && e.reason === 'invalid',
    );
    await assert.rejects(tokens.verify(long), (e: unknown) => e instanceof SessionTokenError && e.reason === 'invalid');
    assert.equal((await tokens.verify(exact)).atk, ATK);
  });

  it('carries the issuing app token id (atk) and refuses to issue without one', async () => {
    assert.equal(
      (await tokens.verify(await tokens.issue({ app: 'APP1', uid: 'u', env: 'sandbox', tt: 'web', appToken: ATK })))
        .atk,
      ATK,
    );
    await assert.rejects(tokens.issue({ app: 'APP1', uid: 'u', env: 'sandbox', tt: 'web', appToken: '' }), /app token/);
  });

  it('refuses a token that is not a string or is over 4096 characters', async () => {
    await assert.rejects(tokens.verify(undefined as unknown as string), SessionTokenError);
    await assert.rejects(tokens.verify(`a.${'b'.repeat(4096)}.c`), SessionTokenError);
  });

  it('refuses a secret under 32 bytes and a lifetime under 60 s', () => {
    assert.throws(() => new SessionTokens(randomBytes(31), 600), /at least 32 bytes/);
    assert.throws(() => new SessionTokens(randomBytes(32), 59), /at least 60 s/);
    assert.throws(() => new SessionTokens(randomBytes(32), 60.5), /at least 60 s/);
  });
});
