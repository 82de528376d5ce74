import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  clientLogin,
  relaxedLimits,
  s2sLogin,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';

/** The body exactly as the spec's ASP.NET sample sends it (single quotes: JSON5, not JSON). */
const SPEC_BODY = `{ "payload": { "user_id":'foofoo'} }`;

function assertError(res: { status: number; body: any }, status: number, code: number): void {
  assert.equal(res.status, status, `status (body ${JSON.stringify(res.body)})`);
  assert.equal(res.body?.error?.code, code, `error code (body ${JSON.stringify(res.body)})`);
  assert.equal(typeof res.body.error.name, 'string');
  assert.equal(typeof res.body.error.description, 'string');
}

describe('server-to-server login (POST /1.0/sso/app/login/s2s)', () => {
  let server: TestServer;
  let app: TestApp;

  before(async () => {
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost', '127.0.0.1:9999']);
  });
  after(() => server.stop());

  describe('accepts', () => {
    it('the spec sample body with a bare-host Origin and answers { payload: { token } }', async () => {
      const res = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, { origin: 'localhost' });

      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.body), ['payload']);
      assert.deepEqual(Object.keys(res.body.payload), ['token']);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const claims = await server.context.sessions.verify(res.body.payload.token);
      assert.equal(claims.uid, 'foofoo');
      assert.equal(claims.app, app.appId);
      assert.equal(claims.env, 'production');
      assert.equal(claims.tt, 'web');
    });

    it('a full origin http://localhost:1234 (a domain without a port permits every port)', async () => {
      const res = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, {
        origin: 'http://localhost:1234',
      });

      assert.equal(res.status, 200);
      assert.equal(typeof res.body.payload.token, 'string');
    });

    it('a bare host:port Origin under a host-only domain', async () => {
      const res = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, { origin: 'localhost:8443' });

      assert.equal(res.status, 200);
    });

    it('a sandbox web token, and the session says sandbox', async () => {
      const res = await s2sLogin(server.url, app.token('web', 'sandbox'), SPEC_BODY, { origin: 'localhost' });

      assert.equal(res.status, 200);
      assert.equal((await server.context.sessions.verify(res.body.payload.token)).env, 'sandbox');
    });

    it('plain JSON as well as JSON5', async () => {
      const res = await s2sLogin(
        server.url,
        app.token('web', 'production'),
        JSON.stringify({ payload: { user_id: 'bob' } }),
        {
          origin: 'localhost',
        },
      );

      assert.equal(res.status, 200);
      assert.equal((await server.context.sessions.verify(res.body.payload.token)).uid, 'bob');
    });

    it('a domain with a port only for that exact port', async () => {
      const ok = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, {
        origin: 'http://127.0.0.1:9999',
      });
      const wrongPort = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, {
        origin: 'http://127.0.0.1:9998',
      });
      const bareNoPort = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, { origin: '127.0.0.1' });

      assert.equal(ok.status, 200);
      assertError(wrongPort, 403, -35001);
      assertError(bareNoPort, 403, -35001);
    });
  });

  describe('refuses the Origin', () => {
    for (const origin of [
      'evil.com',
      'http://localhost.evil.com',
      'localhost.evil.com',
      'null',
      'http://evil.com',
      'http://localhost:1234/path',
      'localhost@evil.com',
    ]) {
      it(`${JSON.stringify(origin)} with 403 -35001`, async () => {
        const res = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, { origin });

        assertError(res, 403, -35001);
      });
    }

    it('when there is none, with 403 -35001', async () => {
      const res = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY);

      assertError(res, 403, -35001);
    });
  });

  describe('refuses the app token', () => {
    it('unknown (well formed) with 401 -30000', async () => {
      const unknown = `ovt1.${randomBytes(12).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

      const res = await s2sLogin(server.url, unknown, SPEC_BODY, { origin: 'localhost' });

      assertError(res, 401, -30000);
    });

    it('malformed with 401 -30000', async () => {
      const res = await s2sLogin(server.url, 'not-a-token', SPEC_BODY, { origin: 'localhost' });

      assertError(res, 401, -30000);
    });

    it('with a known id but the wrong secret with 401 -30000', async () => {
      const [prefix, id] = app.token('web', 'production').split('.');
      const forged = `${prefix}.${id}.${randomBytes(32).toString('base64url')}`;

      const res = await s2sLogin(server.url, forged, SPEC_BODY, { origin: 'localhost' });

      assertError(res, 401, -30000);
    });

    it('revoked: refused at once with 401 -30000', async () => {
      const own = await server.createApp(['localhost']);
      const token = own.token('web', 'production');
      assert.equal((await s2sLogin(server.url, token, SPEC_BODY, { origin: 'localhost' })).status, 200);

      await server.apps.revokeToken(own.appId, token);
      const res = await s2sLogin(server.url, token, SPEC_BODY, { origin: 'localhost' });

      assertError(res, 401, -30000);
      // The app's other tokens still work.
      assert.equal(
        (await s2sLogin(server.url, own.token('web', 'sandbox'), SPEC_BODY, { origin: 'localhost' })).status,
        200,
      );
    });

    it('of a blocked app with 403 -30004, and accepts it again once unblocked', async () => {
      const own = await server.createApp(['localhost']);
      const token = own.token('web', 'production');

      await server.apps.setBlocked(own.appId, true);
      const blocked = await s2sLogin(server.url, token, SPEC_BODY, { origin: 'localhost' });
      await server.apps.setBlocked(own.appId, false);
      const unblocked = await s2sLogin(server.url, token, SPEC_BODY, { origin: 'localhost' });

      assertError(blocked, 403, -30004);
      assert.equal(unblocked.status, 200);
    });

    it('of native type with 403 -35001', async () => {
      const res = await s2sLogin(server.url, app.token('native', 'production'), SPEC_BODY, { origin: 'localhost' });

      assertError(res, 403, -35001);
    });

    it('when the at parameter is missing with 400 -40000', async () => {
      const response = await fetch(`${server.url}/1.0/sso/app/login/s2s?ct=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'localhost' },
        body: SPEC_BODY,
      });

      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as any).error.code, -40000);
    });
  });

  describe('refuses the body', () => {
    const cases: Array<[string, string]> = [
      ['malformed JSON', '{ "payload": { "user_id": "a" }'],
      ['an unknown top-level field', '{ "payload": { "user_id": "a" }, "admin": true }'],
      ['an unknown payload field', '{ "payload": { "user_id": "a", "role": "admin" } }'],
      ['a __proto__ key at the top (JSON)', '{ "__proto__": { "admin": true }, "payload": { "user_id": "a" } }'],
      ['a __proto__ key in the payload (JSON)', '{ "payload": { "user_id": "a", "__proto__": { "admin": true } } }'],
      ['a __proto__ key (JSON5)', `{ __proto__: { admin: true }, payload: { user_id: 'a' } }`],
      ['a constructor key', '{ "payload": { "user_id": "a", "constructor": {} } }'],
      ['no payload', '{}'],
      ['no user_id', '{ "payload": {} }'],
      ['an empty user_id', '{ "payload": { "user_id": "" } }'],
      ['a numeric user_id', '{ "payload": { "user_id": 42 } }'],
      ['a user_id with a control character', '{ "payload": { "user_id": "a\\u0000b" } }'],
      ['a user_id of 257 characters', JSON.stringify({ payload: { user_id: 'u'.repeat(257) } })],
      ['an array', '[{ "payload": { "user_id": "a" } }]'],
      ['null', 'null'],
      ['an empty body', ''],
      ['a blank body', '   \n'],
    ];
    for (const [name, body] of cases) {
      it(`${name} with 400 -40000`, async () => {
        const res = await s2sLogin(server.url, app.token('web', 'production'), body, { origin: 'localhost' });

        assertError(res, 400, -40000);
      });
    }

    it('over 8 KB with 413 -40000', async () => {
      const body = JSON.stringify({ payload: { user_id: 'a' }, pad: 'x'.repeat(9 * 1024) });

      const res = await s2sLogin(server.url, app.token('web', 'production'), body, { origin: 'localhost' });

      assertError(res, 413, -40000);
    });

    it('of 256 characters of user id is still accepted (the limit itself)', async () => {
      const res = await s2sLogin(
        server.url,
        app.token('web', 'production'),
        JSON.stringify({ payload: { user_id: 'u'.repeat(256) } }),
        {
          origin: 'localhost',
        },
      );

      assert.equal(res.status, 200);
    });

    for (const contentType of ['application/xml', 'multipart/form-data; boundary=x', 'image/png']) {
      it(`with content type ${contentType} with 415 -40000`, async () => {
        const res = await s2sLogin(server.url, app.token('web', 'production'), SPEC_BODY, {
          origin: 'localhost',
          'content-type': contentType,
        });

        assertError(res, 415, -40000);
      });
    }

    it('sent as a form with 400 -40000', async () => {
      const res = await s2sLogin(server.url, app.token('web', 'production'), 'payload=x', {
        origin: 'localhost',
        'content-type': 'application/x-www-form-urlencoded',
      });

      assertError(res, 400, -40000);
    });
  });

  it('still serves /healthz after all of it', async () => {
    const res = await fetch(`${server.url}/healthz`);

    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, connections: 0 });
  });
});

type LoginResult = Awaited<ReturnType<typeof clientLogin>>;

/** A refused redirect login: an HTML page with the code, never a redirect. */
function assertRefusedPage(res: LoginResult, status: number, code: number): void {
  assert.equal(res.status, status, `status (body ${String(res.body).slice(0, 300)})`);
  assert.equal(res.location, null);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(typeof res.body, 'string');
  assert.ok(res.body.includes(`data-code="${code}"`), `page carries data-code="${code}": ${res.body}`);
}

describe('client-side login (/1.0/sso/app/login)', () => {
  let server: TestServer;
  let app: TestApp;
  let portApp: TestApp;

  before(async () => {
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost']);
    portApp = await server.createApp(['127.0.0.1:9999']);
  });
  after(() => server.stop());

  const sandboxFields = (callbackUrl: string, extra: Record<string, string> = {}) => ({
    token: app.token('web', 'sandbox'),
    userId: 'alice',
    isSandbox: 'true',
    callbackUrl,
    ...extra,
  });

  describe('success', () => {
    it('POST redirects 302 to the callback with t=<jwt> appended, keeping its query', async () => {
      const res = await clientLogin(server.url, sandboxFields('http://localhost:8080/app/cb?pid=42'));

      assert.equal(res.status, 302);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const location = new URL(res.location!);
      assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:8080/app/cb');
      assert.match(location.search, /^\?pid=42&t=[\w-]+\.[\w-]+\.[\w-]+$/);
      const claims = await server.context.sessions.verify(location.searchParams.get('t')!);
      assert.equal(claims.uid, 'alice');
      assert.equal(claims.app, app.appId);
      assert.equal(claims.env, 'sandbox');
      assert.equal(claims.tt, 'web');
    });

    it('GET with the same fields in the query works too', async () => {
      const res = await clientLogin(server.url, sandboxFields('http://localhost/cb?pid=42'), { method: 'GET' });

      assert.equal(res.status, 302);
      assert.match(res.location!, /^http:\/\/localhost\/cb\?pid=42&t=[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('replaces a t= already in the callback and keeps the fragment', async () => {
      const res = await clientLogin(server.url, sandboxFields('http://localhost/cb?t=stale&x=1#top'));

      assert.equal(res.status, 302);
      assert.match(res.location!, /^http:\/\/localhost\/cb\?x=1&t=[\w-]+\.[\w-]+\.[\w-]+#top$/);
    });

    it('production token with isSandbox=false', async () => {
      const res = await clientLogin(server.url, {
        token: app.token('web', 'production'),
        userId: 'bob',
        isSandbox: 'false',
        callbackUrl: 'https://localhost/cb',
      });

      assert.equal(res.status, 302);
      const t = new URL(res.location!).searchParams.get('t')!;
      assert.equal((await server.context.sessions.verify(t)).env, 'production');
    });

    it('isSandbox defaults to true (the spec default)', async () => {
      const { isSandbox: _unused, ...fields } = sandboxFields('http://localhost/cb');

      const res = await clientLogin(server.url, fields);

      assert.equal(res.status, 302);
    });

    it('a domain without a port accepts any port', async () => {
      for (const callbackUrl of [
        'http://localhost:1/',
        'http://localhost:65535/x',
        'https://localhost/',
        'http://LOCALHOST:3000/',
      ]) {
        const res = await clientLogin(server.url, sandboxFields(callbackUrl));
        assert.equal(res.status, 302, callbackUrl);
      }
    });

    it('a domain with a port accepts that port only', async () => {
      const fields = (callbackUrl: string) => ({
        token: portApp.token('web', 'sandbox'),
        userId: 'u',
        isSandbox: 'true',
        callbackUrl,
      });

      const accepted = await clientLogin(server.url, fields('http://127.0.0.1:9999/'));
      const refused = await clientLogin(server.url, fields('http://127.0.0.1:9998/'));
      const noPort = await clientLogin(server.url, fields('http://127.0.0.1/'));

      assert.equal(accepted.status, 302);
      assert.match(accepted.location!, /^http:\/\/127\.0\.0\.1:9999\/\?t=/);
      assertRefusedPage(refused, 403, -35001);
      assertRefusedPage(noPort, 403, -35001);
    });
  });

  describe('refuses the callback URL', () => {
    const refused = [
      'http://evil.com/',
      'http://localhost.evil.com/',
      'http://localhost@evil.com/',
      '//evil.com',
      '/\\evil.com',
      'javascript:alert(1)',
      'data:text/html,x',
      'http://localhost%2eevil.com/',
      'http://%6c%6fcalhost.evil.com/',
      'http://evil.com\\@localhost/',
      'ftp://localhost/',
      'http://user:pass@localhost/',
      'http://localhost:1234@evil.com/',
      'http://evil.com#@localhost/',
      'http:/localhost/',
      'http://localhost./',
      '/cb',
      ' http://localhost/',
      'http://local host/',
    ];
    for (const callbackUrl of refused) {
      it(`${JSON.stringify(callbackUrl)}: an error page with data-code="-35001" and no redirect`, async () => {
        const res = await clientLogin(server.url, sandboxFields(callbackUrl));

        assertRefusedPage(res, 403, -35001);
      });
    }

    it('over GET as well', async () => {
      const res = await clientLogin(server.url, sandboxFields('http://evil.com/'), { method: 'GET' });

      assertRefusedPage(res, 403, -35001);
    });
  });

  describe('refuses the login', () => {
    it('when isSandbox does not match the token environment (-30005)', async () => {
      const sandboxAsProduction = await clientLogin(
        server.url,
        sandboxFields('http://localhost/', { isSandbox: 'false' }),
      );
      const productionAsSandbox = await clientLogin(server.url, {
        token: app.token('web', 'production'),
        userId: 'a',
        isSandbox: 'true',
        callbackUrl: 'http://localhost/',
      });

      assertRefusedPage(sandboxAsProduction, 403, -30005);
      assertRefusedPage(productionAsSandbox, 403, -30005);
    });

    it("under the 'sandbox' policy: production refused with -35001, sandbox allowed", async () => {
      const own = await server.createApp(['localhost']);
      await server.apps.setClientLogin(own.appId, 'sandbox');

      const production = await clientLogin(server.url, {
        token: own.token('web', 'production'),
        userId: 'a',
        isSandbox: 'false',
        callbackUrl: 'http://localhost/',
      });
      const sandbox = await clientLogin(server.url, {
        token: own.token('web', 'sandbox'),
        userId: 'a',
        isSandbox: 'true',
        callbackUrl: 'http://localhost/',
      });

      assertRefusedPage(production, 403, -35001);
      assert.equal(sandbox.status, 302);
    });

    it("under the 'none' policy: both environments refused with -35001", async () => {
      const own = await server.createApp(['localhost'], { clientLogin: 'none' });

      const production = await clientLogin(server.url, {
        token: own.token('web', 'production'),
        userId: 'a',
        isSandbox: 'false',
        callbackUrl: 'http://localhost/',
      });
      const sandbox = await clientLogin(server.url, {
        token: own.token('web', 'sandbox'),
        userId: 'a',
        isSandbox: 'true',
        callbackUrl: 'http://localhost/',
      });

      assertRefusedPage(production, 403, -35001);
      assertRefusedPage(sandbox, 403, -35001);
    });

    it('with a native token (-35001)', async () => {
      const res = await clientLogin(server.url, {
        ...sandboxFields('http://localhost/'),
        token: app.token('native', 'sandbox'),
      });

      assertRefusedPage(res, 403, -35001);
    });

    it('with an unknown token (401 -30000)', async () => {
      const res = await clientLogin(server.url, {
        ...sandboxFields('http://localhost/'),
        token: 'ovt1.AAAAAAAAAAAAAAAA.' + 'A'.repeat(43),
      });

      assertRefusedPage(res, 401, -30000);
    });

    it('of a blocked app (-30004)', async () => {
      const own = await server.createApp(['localhost']);
      await server.apps.setBlocked(own.appId, true);

      const res = await clientLogin(server.url, {
        token: own.token('web', 'sandbox'),
        userId: 'a',
        callbackUrl: 'http://localhost/',
      });

      assertRefusedPage(res, 403, -30004);
    });

    for (const missing of ['token', 'userId', 'callbackUrl']) {
      it(`without ${missing} (400 -40000)`, async () => {
        const fields: Record<string, string> = sandboxFields('http://localhost/');
        delete fields[missing];

        const res = await clientLogin(server.url, fields);

        assertRefusedPage(res, 400, -40000);
      });
    }

    it('with an unknown field or a bad isSandbox value (400 -40000)', async () => {
      const extra = await clientLogin(server.url, sandboxFields('http://localhost/', { admin: '1' }));
      const badFlag = await clientLogin(server.url, sandboxFields('http://localhost/', { isSandbox: 'yes' }));

      assertRefusedPage(extra, 400, -40000);
      assertRefusedPage(badFlag, 400, -40000);
    });

    it('with a __proto__ or constructor field, in a form or a query (400 -40000)', async () => {
      for (const method of ['POST', 'GET'] as const) {
        for (const key of ['__proto__', 'constructor']) {
          const res = await clientLogin(server.url, sandboxFields('http://localhost/', { [key]: 'x' }), { method });
          assertRefusedPage(res, 400, -40000);
        }
      }
    });

    it('with a JSON body instead of a form (400 -40000)', async () => {
      const response = await fetch(`${server.url}/1.0/sso/app/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(sandboxFields('http://localhost/')),
      });

      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as any).error.code, -40000);
    });

    it('with no body at all (400 -40000)', async () => {
      const response = await fetch(`${server.url}/1.0/sso/app/login`, { method: 'POST', redirect: 'manual' });

      assert.equal(response.status, 400);
      assert.ok((await response.text()).includes('data-code="-40000"'));
    });

    it('with Accept: application/json, as the JSON error envelope', async () => {
      const res = await clientLogin(server.url, sandboxFields('http://evil.com/'), {
        headers: { accept: 'application/json' },
      });

      assert.equal(res.status, 403);
      assert.equal(res.location, null);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(Object.keys(res.body), ['error']);
      assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'description', 'name']);
      assert.equal(res.body.error.code, -35001);
      assert.equal(res.body.error.name, 'NotAuthorized');
    });

    it('with Accept: application/json, missing fields give the -40000 envelope', async () => {
      const res = await clientLogin(server.url, { userId: 'a' }, { headers: { accept: 'application/json' } });

      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, -40000);
      assert.equal(res.body.error.name, 'BadRequest');
    });
  });

  it('the error page does not echo the refused callback URL', async () => {
    const res = await clientLogin(server.url, sandboxFields('http://evil.com/<script>alert(1)</script>'));

    assertRefusedPage(res, 403, -35001);
    assert.ok(!res.body.includes('<script>'));
  });

  it('still serves /healthz', async () => {
    const res = await fetch(`${server.url}/healthz`);

    assert.equal(res.status, 200);
  });
});

describe('direct login (POST /1.0/sso/app/login/direct)', () => {
  let server: TestServer;
  let app: TestApp;

  before(async () => {
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost']);
  });
  after(() => server.stop());

  async function direct(body: unknown, origin: string | null = 'http://localhost:1234') {
    const response = await fetch(`${server.url}/1.0/sso/app/login/direct`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin === null ? {} : { origin }) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as any };
  }

  it('issues a session token to a permitted page origin', async () => {
    const res = await direct({ token: app.token('web', 'sandbox'), userId: 'alice', isSandbox: true });

    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body.payload), ['token']);
    const claims = await server.context.sessions.verify(res.body.payload.token);
    assert.equal(claims.uid, 'alice');
    assert.equal(claims.env, 'sandbox');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  for (const origin of ['http://evil.com', 'http://localhost.evil.com', 'null', 'localhost', null]) {
    it(`refuses the page origin ${String(origin)} with 403 -35001`, async () => {
      const res = await direct({ token: app.token('web', 'sandbox'), userId: 'alice' }, origin);

      assertError(res, 403, -35001);
    });
  }

  it('refuses an isSandbox that does not match the token with 403 -30005', async () => {
    const res = await direct({ token: app.token('web', 'production'), userId: 'alice', isSandbox: true });

    assertError(res, 403, -30005);
  });

  it("refuses native tokens and apps whose client login is 'none' with 403 -35001", async () => {
    const none = await server.createApp(['localhost'], { clientLogin: 'none' });

    const native = await direct({ token: app.token('native', 'sandbox'), userId: 'alice' });
    const off = await direct({ token: none.token('web', 'sandbox'), userId: 'alice' });

    assertError(native, 403, -35001);
    assertError(off, 403, -35001);
  });

  it('refuses an unknown token with 401 -30000 and bad bodies with 400 -40000', async () => {
    const unknown = await direct({ token: 'ovt1.AAAAAAAAAAAAAAAA.' + 'A'.repeat(43), userId: 'alice' });
    const extra = await direct({ token: app.token('web', 'sandbox'), userId: 'alice', admin: true });
    const stringFlag = await direct({ token: app.token('web', 'sandbox'), userId: 'alice', isSandbox: 'true' });
    const malformed = await direct('{ "token": ');

    assertError(unknown, 401, -30000);
    assertError(extra, 400, -40000);
    assertError(stringFlag, 400, -40000);
    assertError(malformed, 400, -40000);
  });
});
