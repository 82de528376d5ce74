import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CapturingMailer, PortalClient, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery';

/** Everything the store holds about an app: a change anywhere shows up here. */
async function snapshot(server: TestServer, appId: string) {
  return {
    app: await server.store.apps.get(appId),
    tokens: await server.store.tokens.listForApp(appId),
    owner: await server.store.portal.owners.ownerOf(appId),
  };
}

/** Every route that names an app, with a valid body for it. */
function appRoutes(appId: string, tokenId: string): Array<[method: string, path: string, body?: unknown]> {
  return [
    ['GET', `/apps/${appId}`],
    ['PATCH', `/apps/${appId}`, { name: 'Taken over' }],
    ['DELETE', `/apps/${appId}`],
    ['PUT', `/apps/${appId}/blocked`, { blocked: true }],
    ['POST', `/apps/${appId}/domains`, { domain: 'evil.example' }],
    ['DELETE', `/apps/${appId}/domains/localhost`],
    ['GET', `/apps/${appId}/tokens`],
    ['POST', `/apps/${appId}/tokens`, { type: 'web', environment: 'production' }],
    ['DELETE', `/apps/${appId}/tokens/${tokenId}`],
    ['GET', `/apps/${appId}/usage?days=7`],
    ['GET', `/apps/${appId}/usage.csv?days=7`],
  ];
}

describe('developer portal security', () => {
  let server: TestServer;
  const mailer = new CapturingMailer();
  let alice: PortalClient;
  let bob: PortalClient;
  let appId: string;
  let tokenId: string;

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      portal: { mailer, failedSignInRate: { burst: 3, perSecond: 0.01 } },
    });
    alice = await verifiedDeveloper(server.url, mailer, 'alice@example.com');
    bob = await verifiedDeveloper(server.url, mailer, 'bob@example.com');
    const created = await alice.request('POST', '/apps', { name: "Alice's app", domains: ['localhost'] });
    appId = created.body.app.id;
    tokenId = created.body.tokens[0].id;
  });
  after(async () => {
    await server.stop();
  });

  it('another account can neither read nor change your app, on any route', async () => {
    const before = await snapshot(server, appId);
    for (const [method, path, body] of appRoutes(appId, tokenId)) {
      const res = await bob.request(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error.code, -50001, `${method} ${path}`);
      assert.ok(!JSON.stringify(res.body).includes("Alice's app"), `${method} ${path} leaks nothing`);
    }
    const list = await bob.request('GET', '/apps');
    assert.deepEqual(list.body.apps, []);
    assert.deepEqual(await snapshot(server, appId), before);
    // The same request from the owner works, so the 404s were about ownership.
    assert.equal((await alice.request('GET', `/apps/${appId}`)).status, 200);
  });

  it('without a session every route answers 401 and changes nothing', async () => {
    const before = await snapshot(server, appId);
    const anonymous = new PortalClient(server.url);
    for (const [method, path, body] of [
      ...appRoutes(appId, tokenId),
      ['GET', '/apps'],
      ['POST', '/apps', { name: 'x' }],
    ] as const) {
      const res = await anonymous.request(method, path, body);
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.error.code, -30001);
    }
    assert.deepEqual(await snapshot(server, appId), before);
  });

  it('refuses changes without the CSRF token, with a wrong one, or from another origin', async () => {
    const before = await snapshot(server, appId);
    const changes = appRoutes(appId, tokenId).filter(([m]) => m !== 'GET');
    changes.push(['POST', '/apps', { name: 'Forged' }], ['DELETE', '/session'], ['POST', '/account/verification']);
    for (const [method, path, body] of changes) {
      const attempts = [
        { csrf: null, what: 'no CSRF header' },
        { csrf: 'x'.repeat(alice.csrf.length), what: 'a wrong CSRF token' },
        { csrf: (await bob.request('GET', '/session')).body.csrfToken as string, what: "another session's CSRF token" },
        { origin: 'http://evil.example', what: 'a cross-origin Origin' },
        { origin: 'null', what: 'an opaque Origin' },
        { headers: { 'sec-fetch-site': 'cross-site' }, what: 'Sec-Fetch-Site cross-site' },
        { headers: { 'sec-fetch-site': 'same-site' }, what: 'Sec-Fetch-Site same-site' },
      ];
      for (const { what, ...opts } of attempts) {
        const res = await alice.request(method, path, body, opts);
        assert.equal(res.status, 403, `${method} ${path} with ${what}`);
        assert.equal(res.body.error.code, -35001);
      }
    }
    assert.deepEqual(await snapshot(server, appId), before);
    assert.equal((await alice.request('GET', '/apps')).body.apps.length, 1, 'no app was forged');
    assert.equal((await alice.request('GET', '/session')).status, 200, 'still signed in');
  });

  it('takes bodies only as application/json, which a cross-site form cannot send', async () => {
    const before = await snapshot(server, appId);
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const raw = contentType === 'text/plain' ? '{"name":"Forged"}' : 'name=Forged';
      const res = await alice.request('PATCH', `/apps/${appId}`, undefined, { contentType, raw });
      assert.equal(res.status, 400, contentType);
      assert.equal(res.body.error.code, -40000);
    }
    assert.deepEqual(await snapshot(server, appId), before);
  });

  it('refuses cross-origin sign-up and sign-in', async () => {
    const signUp = await new PortalClient(server.url, 'http://evil.example').signUp('forged@example.com', PASSWORD);
    assert.equal(signUp.status, 403);
    assert.equal(await server.store.portal.accounts.getByEmail('forged@example.com'), undefined);
    const signIn = await new PortalClient(server.url, 'http://evil.example').signIn('alice@example.com', PASSWORD);
    assert.equal(signIn.status, 403);
    assert.equal(signIn.headers.get('set-cookie'), null);
  });

  it('rate-limits wrong passwords per email (429 with Retry-After), even for the right one after', async () => {
    await new PortalClient(server.url).signUp('guessed@example.com', PASSWORD);
    const client = new PortalClient(server.url);
    for (let i = 0; i < 3; i++) {
      const res = await client.signIn('guessed@example.com', `wrong ${i}`);
      assert.equal(res.status, 401);
    }
    const limited = await client.signIn('guessed@example.com', 'wrong again');
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, -40000);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const right = await client.signIn('Guessed@Example.com', PASSWORD);
    assert.equal(right.status, 429, 'the right password waits too: guessing cannot tell');
    assert.equal(right.headers.get('set-cookie'), null);
    assert.equal(
      (await new PortalClient(server.url).signIn('alice@example.com', PASSWORD)).status,
      200,
      'other accounts are unaffected',
    );
  });

  it('rate-limits sign-in and sign-up attempts per address', async () => {
    const tight = await startTestServer({
      ...relaxedLimits,
      portal: { mailer: new CapturingMailer(), signInRate: { burst: 2, perSecond: 0.01 } },
    });
    try {
      const client = new PortalClient(tight.url);
      assert.equal((await client.signIn('a@example.com', PASSWORD)).status, 401);
      assert.equal((await client.signIn('b@example.com', PASSWORD)).status, 401);
      const res = await client.signIn('c@example.com', PASSWORD);
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.equal((await client.signUp('x@example.com', PASSWORD)).status, 201);
      assert.equal((await client.signUp('y@example.com', PASSWORD)).status, 201);
      assert.equal((await client.signUp('z@example.com', PASSWORD)).status, 429);
      assert.equal(await tight.store.portal.accounts.getByEmail('z@example.com'), undefined);
    } finally {
      await tight.stop();
    }
  });

  it('answers bad input on every route with -40000 and changes nothing', async () => {
    const before = await snapshot(server, appId);
    const appsBefore = (await alice.request('GET', '/apps')).body.apps.length;
    const bad: Array<[string, string, unknown, RegExp]> = [
      ['POST', '/accounts', { email: 'not-an-email', password: PASSWORD }, /valid email/],
      ['POST', '/accounts', { email: 'short@example.com', password: 'short' }, /8 to 200/],
      ['POST', '/accounts', { email: 'x@example.com' }, /password: must be a string/],
      [
        'POST',
        '/accounts',
        { email: 'x@example.com', password: PASSWORD, role: 'operator' },
        /role: is not a known field/,
      ],
      ['POST', '/session', { email: 1, password: PASSWORD }, /email: must be a string/],
      ['POST', '/session', [], /must be an object/],
      ['POST', '/apps', { name: '' }, /name: must not be empty/],
      ['POST', '/apps', { name: '   ' }, /1 to 200/],
      ['POST', '/apps', { name: 'x'.repeat(201) }, /at most 200/],
      ['POST', '/apps', { name: 'ok', domains: ['http://bad host/'] }, /./],
      ['POST', '/apps', { name: 'ok', domains: 'localhost' }, /must be an array/],
      ['PATCH', `/apps/${appId}`, {}, /name or a clientLogin/],
      ['PATCH', `/apps/${appId}`, { clientLogin: 'everyone' }, /one of all, sandbox, none/],
      ['PATCH', `/apps/${appId}`, { name: 'ok', blocked: false }, /blocked: is not a known field/],
      ['POST', `/apps/${appId}/domains`, { domain: 'bad domain!' }, /./],
      ['POST', `/apps/${appId}/domains`, {}, /domain: must be a string/],
      ['DELETE', `/apps/${appId}/domains/${encodeURIComponent('bad domain!')}`, undefined, /./],
      [
        'POST',
        `/apps/${appId}/tokens`,
        { type: 'desktop', environment: 'sandbox' },
        /type: must be one of web, native/,
      ],
      [
        'POST',
        `/apps/${appId}/tokens`,
        { type: 'web', environment: 'staging' },
        /environment: must be one of sandbox, production/,
      ],
      ['GET', `/apps/${appId}/usage?days=8`, undefined, /days: must be one of 7, 30, 90/],
      ['GET', `/apps/${appId}/usage.csv?days=x`, undefined, /days/],
      ['GET', `/apps/${appId}/usage?days=7&extra=1`, undefined, /extra: is not a known field/],
      ['GET', '/verify?token=', undefined, /token: must not be empty/],
    ];
    for (const [method, path, body, message] of bad) {
      const res = await alice.request(method, path, body);
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(Object.keys(res.body.error), ['code', 'name', 'description']);
      assert.equal(res.body.error.code, -40000);
      assert.equal(res.body.error.name, 'BadRequest');
      assert.match(res.body.error.description, message, `${method} ${path}`);
    }
    for (const raw of [
      '{',
      '',
      'null',
      '"x"',
      '{"name":"ok","__proto__":{"admin":true}}',
      '{"name":"ok","constructor":{}}',
    ]) {
      const res = await alice.request('POST', '/apps', undefined, { raw });
      assert.equal(res.status, 400, `body ${JSON.stringify(raw)}`);
      assert.equal(res.body.error.code, -40000);
    }
    const huge = await alice.request('POST', '/apps', undefined, {
      raw: JSON.stringify({ name: 'x'.repeat(100_000) }),
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, -40000);
    const badVerify = await alice.verify(`${server.url}/api/v1/verify?token=${'a'.repeat(43)}`);
    assert.equal(badVerify.status, 400);
    assert.equal(badVerify.body.error.code, -60401);
    assert.deepEqual(await snapshot(server, appId), before);
    assert.equal((await alice.request('GET', '/apps')).body.apps.length, appsBefore);
    assert.equal(await server.store.portal.accounts.getByEmail('x@example.com'), undefined);
  });
});
