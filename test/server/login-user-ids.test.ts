import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  clientLogin,
  relaxedLimits,
  s2sLogin,
  startTestServer,
  type TestApp,
  type TestServer,
} from '../helpers/server.js';

// The SDK trims user ids and takes numbers (sdk/ids.ts); the login routes must name the same user.
describe('user ids and app tokens at login, trimmed as the SDK trims them', () => {
  let server: TestServer;
  let app: TestApp;
  before(async () => {
    server = await startTestServer(relaxedLimits);
    app = await server.createApp(['localhost']);
  });
  after(() => server.stop());

  async function s2sUid(token: string, userId: unknown): Promise<string> {
    const res = await s2sLogin(server.url, token, JSON.stringify({ payload: { user_id: userId } }), {
      origin: 'localhost',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (await server.context.sessions.verify(res.body.payload.token)).uid;
  }

  it('takes the app token with the space the spec sample URL leaves after it (`at={token} &ct=1`)', async () => {
    assert.equal(await s2sUid(`${app.token('web', 'production')} `, 'foofoo'), 'foofoo');
  });

  it('trims the s2s user_id, as the SDK does', async () => {
    assert.equal(await s2sUid(app.token('web', 'production'), '  alice \t'), 'alice');
  });

  it('refuses a blank user id and one with a control character with -40000, issuing nothing', async () => {
    for (const userId of ['   ', 'a\u0000b', '']) {
      const res = await s2sLogin(
        server.url,
        app.token('web', 'production'),
        JSON.stringify({ payload: { user_id: userId } }),
        { origin: 'localhost' },
      );
      assert.equal(res.status, 400, JSON.stringify(userId));
      assert.equal(res.body.error.code, -40000);
      assert.equal(res.body.payload, undefined);
    }
  });

  it('trims the user id of the redirect login', async () => {
    const res = await clientLogin(server.url, {
      token: app.token('web', 'production'),
      userId: ' bob ',
      isSandbox: 'false',
      callbackUrl: 'http://localhost/cb',
    });
    assert.equal(res.status, 302, JSON.stringify(res.body));
    const token = new URL(res.location!).searchParams.get('t')!;
    assert.equal((await server.context.sessions.verify(token)).uid, 'bob');
  });
});
