import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChunkFiles } from '../../src/protocol/constants.js';
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

describe('HTTP routes', () => {
  let server: TestServer;
  let noScript: TestServer;
  let scriptDir: string;
  const script = 'console.log("oovoo sdk");\n';

  before(async () => {
    scriptDir = mkdtempSync(join(tmpdir(), 'oovoo-script-'));
    writeFileSync(join(scriptDir, 'oovoo.min.js'), script);
    for (const file of Object.values(ChunkFiles)) writeFileSync(join(scriptDir, file), `// ${file}\n`);
    server = await startTestServer({ scriptFile: join(scriptDir, 'oovoo.min.js') });
    noScript = await startTestServer({ scriptFile: join(scriptDir, 'missing.js') });
  });
  after(async () => {
    await server.stop();
    await noScript.stop();
    rmSync(scriptDir, { recursive: true, force: true });
  });

  it('GET /healthz answers { ok: true, connections: 0 }', async () => {
    const res = await fetch(`${server.url}/healthz`);

    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true, connections: 0 });
  });

  it('an unknown path is 404 -50002', async () => {
    const res = await fetch(`${server.url}/1.0/nope`);

    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as any).error.code, -50002);
  });

  it('GET on the s2s login path is 404 -50002 (POST only)', async () => {
    const res = await fetch(`${server.url}/1.0/sso/app/login/s2s?at=x`);

    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as any).error.code, -50002);
  });

  it('a plain GET of the socket path (no upgrade) is refused with 400 -40000', async () => {
    const res = await fetch(`${server.url}/1.0/ws?uid=alice`);

    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as any).error.code, -40000);
  });

  for (const path of ['/oovoo.min.js', '/webrtc/oovoosdk-2.1.1.min.js']) {
    it(`serves the SDK script at ${path} with an ETag, and 304 on a match`, async () => {
      const res = await fetch(`${server.url}${path}`);
      const etag = res.headers.get('etag');
      const again = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': etag ?? '' } });

      assert.equal(res.status, 200);
      assert.equal(await res.text(), script);
      assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(etag ?? '', /^"[\w-]{27}"$/);
      assert.equal(again.status, 304);
    });
  }

  it('serves each script added on first use beside both SDK script paths', async () => {
    for (const file of Object.values(ChunkFiles))
      for (const path of [`/${file}`, `/webrtc/${file}`]) {
        const res = await fetch(`${server.url}${path}`);

        assert.equal(res.status, 200, path);
        assert.equal(await res.text(), `// ${file}\n`, path);
        assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/, path);
      }
  });

  it('answers 404 -50002 for the script when it is not built', async () => {
    const res = await fetch(`${noScript.url}/oovoo.min.js`);

    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as any).error.code, -50002);
  });

  it('answers the CORS preflight of /1.0/session/verify', async () => {
    const res = await fetch(`${server.url}/1.0/session/verify`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:1234', 'access-control-request-method': 'POST' },
    });

    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:1234');
    assert.equal(res.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(res.headers.get('vary'), 'Origin');
  });
});
