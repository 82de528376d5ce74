import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

describe('server smoke', () => {
  let server: TestServer;
  let app: TestApp;
  before(async () => {
    server = await startTestServer();
    app = await server.createApp(['localhost']);
  });
  after(() => server.stop());

  it('answers health checks', async () => {
    const res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, connections: 0 });
  });

  it('issues a session token by server-to-server login', async () => {
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
