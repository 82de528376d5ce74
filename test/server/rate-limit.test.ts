import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RateLimiter } from '../../src/server/rate-limit.js';
import {
  clientLogin,
  s2sLogin,
  startTestServer,
  verifySession,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';

const BODY = `{ "payload": { "user_id":'foofoo'} }`;

function assertThrottled(res: { status: number; headers: Headers; body: any }): void {
  assert.equal(res.status, 429, JSON.stringify(res.body));
  const retryAfter = res.headers.get('retry-after');
  assert.match(retryAfter ?? '', /^[1-9]\d*$/, `Retry-After: ${retryAfter}`);
  assert.equal(res.body.error.code, -40000);
  assert.equal(res.body.error.name, 'BadRequest');
}

describe('login rate limits', () => {
  describe('per address (loginRate burst 3, 0.01/s)', () => {
    let server: TestServer;
    let app: TestApp;
    before(async () => {
      server = await startTestServer({
        loginRate: { burst: 3, perSecond: 0.01 },
        failedLoginRate: { burst: 1000, perSecond: 1000 },
      });
      app = await server.createApp(['localhost']);
    });
    after(() => server.stop());

    it('lets 3 s2s logins through and answers the 4th with 429, Retry-After and -40000', async () => {
      const results = [];
      for (let i = 0; i < 4; i++)
        results.push(await s2sLogin(server.url, app.token('web', 'production'), BODY, { origin: 'localhost' }));

      assert.deepEqual(
        results.slice(0, 3).map((r) => r.status),
        [200, 200, 200],
      );
      assertThrottled(results[3]!);
      // An empty bucket refilling at 0.01/s needs about 100 s for one request.
      const retryAfter = Number(results[3]!.headers.get('retry-after'));
      assert.ok(retryAfter >= 95 && retryAfter <= 100, `Retry-After ${retryAfter}`);
    });

    it('keeps refusing while the bucket is empty, whatever the request', async () => {
      const res = await s2sLogin(server.url, 'garbage', 'not even json', { origin: 'localhost' });

      assertThrottled(res);
    });

    it('counts each route on its own: the client login is still allowed, then limited the same way', async () => {
      const fields = {
        token: app.token('web', 'sandbox'),
        userId: 'a',
        isSandbox: 'true',
        callbackUrl: 'http://localhost/',
      };
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await clientLogin(server.url, fields)).status);
      const fourth = await clientLogin(server.url, fields, { headers: { accept: 'application/json' } });

      assert.deepEqual(statuses, [302, 302, 302]);
      assertThrottled(fourth);
      assert.equal(fourth.location, null);
    });

    it('shows the throttled client login as an error page with data-code="-40000"', async () => {
      const res = await clientLogin(server.url, {
        token: app.token('web', 'sandbox'),
        userId: 'a',
        callbackUrl: 'http://localhost/',
      });

      assert.equal(res.status, 429);
      assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.ok(String(res.body).includes('data-code="-40000"'));
    });

    it('limits session verification on its own bucket', async () => {
      const token = await server.context.sessions.issue({
        app: app.appId,
        uid: 'alice',
        env: 'production',
        tt: 'web',
        appToken: app.tokenId('web', 'production'),
      });

      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await verifySession(server.url, { token, userId: 'alice' })).status);
      const fourth = await verifySession(server.url, { token, userId: 'alice' });

      assert.deepEqual(statuses, [200, 200, 200]);
      assertThrottled(fourth);
    });

    it('still serves /healthz while logins are throttled', async () => {
      const res = await fetch(`${server.url}/healthz`);

      assert.equal(res.status, 200);
    });
  });

  describe('failed logins (failedLoginRate burst 2, 0.01/s)', () => {
    let server: TestServer;
    let app: TestApp;
    before(async () => {
      server = await startTestServer({
        loginRate: { burst: 1000, perSecond: 1000 },
        failedLoginRate: { burst: 2, perSecond: 0.01 },
      });
      app = await server.createApp(['localhost']);
    });
    after(() => server.stop());

    it('does not count malformed requests (400) as failed logins', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await s2sLogin(server.url, app.token('web', 'production'), '{ bad', { origin: 'localhost' });
        assert.equal(res.status, 400);
      }

      const ok = await s2sLogin(server.url, app.token('web', 'production'), BODY, { origin: 'localhost' });

      assert.equal(ok.status, 200);
    });

    it('after 2 failed s2s logins of one app refuses even a good one of that app with 429 and Retry-After', async () => {
      const first = await s2sLogin(server.url, app.token('web', 'production'), BODY, { origin: 'evil.com' });
      const second = await s2sLogin(server.url, app.token('web', 'production'), BODY, { origin: 'evil.com' });

      const third = await s2sLogin(server.url, app.token('web', 'production'), BODY, { origin: 'localhost' });

      assert.equal(first.status, 403);
      assert.equal(first.body.error.code, -35001);
      assert.equal(second.status, 403);
      assertThrottled(third);
    });

    it('counts failures per app: another app of the same address is not locked out', async () => {
      const other = await server.createApp(['localhost']);
      const unknownToken = await s2sLogin(server.url, 'ovt1.AAAAAAAAAAAAAAAA.' + 'A'.repeat(43), BODY, {
        origin: 'localhost',
      });
      const unknownAgain = await s2sLogin(server.url, 'ovt1.BBBBBBBBBBBBBBBB.' + 'B'.repeat(43), BODY, {
        origin: 'localhost',
      });

      const ok = await s2sLogin(server.url, other.token('web', 'production'), BODY, { origin: 'localhost' });

      assert.equal(unknownToken.status, 401);
      assert.equal(unknownToken.body.error.code, -30000);
      assert.equal(unknownAgain.status, 401);
      assert.equal(ok.status, 200);
    });

    it('keeps the client login of the same address apart from the s2s failures', async () => {
      const fields = {
        token: app.token('web', 'sandbox'),
        userId: 'a',
        isSandbox: 'true',
        callbackUrl: 'http://localhost/',
      };

      const ok = await clientLogin(server.url, fields);
      const bad1 = await clientLogin(server.url, { ...fields, callbackUrl: 'http://evil.com/' });
      const bad2 = await clientLogin(server.url, { ...fields, callbackUrl: 'http://evil.com/' });
      const afterFailures = await clientLogin(server.url, fields, { headers: { accept: 'application/json' } });

      assert.equal(ok.status, 302);
      assert.equal(bad1.status, 403);
      assert.equal(bad2.status, 403);
      assertThrottled(afterFailures);
    });
  });
});

describe('RateLimiter', () => {
  it('allows the burst, then says how long to wait, and refills over time', () => {
    let t = 0;
    const limiter = new RateLimiter(3, 0.5, 100, () => t);

    const burst = [limiter.take('k'), limiter.take('k'), limiter.take('k')];
    const fourth = limiter.take('k');
    t += 1000;
    const stillWaiting = limiter.take('k');
    t += 1000;
    const refilled = limiter.take('k');

    assert.deepEqual(burst, [0, 0, 0]);
    assert.equal(fourth, 2);
    assert.equal(stillWaiting, 1);
    assert.equal(refilled, 0);
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter(1, 0.001, 100, () => 0);

    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('b'), 0);
    assert.ok(limiter.take('a') > 0);
  });

  it('peek tells the wait without taking', () => {
    let t = 0;
    const limiter = new RateLimiter(1, 1, 100, () => t);

    assert.equal(limiter.peek('k'), 0);
    assert.equal(limiter.peek('k'), 0);
    assert.equal(limiter.take('k'), 0);
    assert.equal(limiter.peek('k'), 1);
    t += 1000;
    assert.equal(limiter.peek('k'), 0);
    assert.equal(limiter.take('k'), 0);
  });

  it('never holds more than the burst, however long it waited', () => {
    let t = 0;
    const limiter = new RateLimiter(2, 1, 100, () => t);
    limiter.take('k');
    t += 1_000_000;

    const results = [limiter.take('k'), limiter.take('k'), limiter.take('k')];

    assert.deepEqual(
      results.map((w) => w === 0),
      [true, true, false],
    );
  });

  it('stays bounded under a flood of keys, and throttled keys survive a sweep of full ones', () => {
    const limiter = new RateLimiter(1, 0.001, 10, () => 0);
    limiter.take('victim');

    for (let i = 0; i < 9; i++) limiter.take(`k${i}`);
    const size = (limiter as unknown as { buckets: Map<string, unknown> }).buckets.size;
    for (let i = 9; i < 1000; i++) limiter.take(`k${i}`);
    const after = (limiter as unknown as { buckets: Map<string, unknown> }).buckets.size;

    assert.equal(size, 10);
    assert.ok(after <= 10, `buckets: ${after}`);
  });
});
