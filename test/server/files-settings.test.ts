import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/server/cli.js';
import { samplePdf, uploadFile } from '../helpers/files.js';
import { CapturingMailer, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, sessionTokenFor, startTestServer } from '../helpers/server.js';

const MB = 1024 * 1024;

/** Each app's chat file limits: the CLI, the portal API and its OpenAPI document. */
describe('chat file settings', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('oovoo-server app files sets the largest file and the quota; bad values are usage errors', async () => {
    const data = mkdtempSync(join(tmpdir(), 'oovoo-files-cli-'));
    dirs.push(data);
    const out: string[] = [];
    const err: string[] = [];
    const cli = (...argv: string[]) =>
      main(
        [...argv, '--data', data],
        (t) => out.push(t),
        (t) => err.push(t),
      );
    assert.equal(await cli('app', 'create', '--name', 'Chat', '--domain', 'localhost', '--json'), 0);
    const appId = JSON.parse(out.pop()!).appId as string;

    assert.equal(await cli('app', 'files', '--app', appId, '--max-mb', '25', '--json'), 0);
    assert.equal(JSON.parse(out.pop()!).fileMaxBytes, 25 * MB);
    assert.equal(await cli('app', 'files', '--app', appId, '--quota-mb', '500'), 0);
    assert.match(out.pop()!, /at most 25 MB each, 500 MB kept per user/);
    for (const mb of ['0', '101', '1.5', 'lots']) {
      assert.equal(await cli('app', 'files', '--app', appId, `--max-mb=${mb}`), 2, mb);
      assert.match(err.pop()!, /--max-mb must be an integer from 1 to 100/);
    }
    assert.equal(await cli('app', 'files', '--app', appId), 2);
    assert.match(err.pop()!, /--max-mb or --quota-mb is required/);
    assert.equal(await cli('app', 'files', '--app', 'NOSUCHAPP', '--max-mb', '3'), 1);
    assert.match(err.pop()!, /-50001/);
  });

  it('the portal API shows and sets both, refusing bad values, and uploads follow at once', async () => {
    const mailer = new CapturingMailer();
    const server = await startTestServer({ ...relaxedLimits, portal: { mailer } });
    try {
      const dev = await verifiedDeveloper(server.url, mailer, 'files@example.com');
      const created = await dev.request('POST', '/apps', { name: 'Chat' });
      const appId = created.body.app.id as string;
      assert.equal(created.body.app.fileMaxBytes, 10 * MB);
      assert.equal(created.body.app.fileQuotaBytes, 200 * MB);

      const set = await dev.request('PATCH', `/apps/${appId}`, { fileMaxBytes: 1000 });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.app.fileMaxBytes, 1000);
      for (const bad of [
        { fileMaxBytes: 0 },
        { fileMaxBytes: 101 * MB },
        { fileQuotaBytes: -1 },
        { fileMaxBytes: '9' },
      ]) {
        const refused = await dev.request('PATCH', `/apps/${appId}`, bad);
        assert.equal(refused.status, 400, JSON.stringify(bad));
        assert.equal(refused.body.error.code, -40000);
      }
      assert.equal((await server.store.apps.get(appId))?.fileMaxBytes, 1000);

      await dev.request('POST', `/apps/${appId}/domains`, { domain: 'localhost' });
      const tokens = await dev.request('POST', `/apps/${appId}/tokens`, { type: 'web', environment: 'sandbox' });
      const session = await sessionTokenFor(server.url, tokens.body.token.token, 'alice');
      const refused = await uploadFile(server.url, session, 'with=bob&name=a.pdf', samplePdf(2000));
      assert.equal(refused.status, 413);

      const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
      assert.deepEqual(Object.keys(doc.paths['/1.0/files'].post.responses).sort(), [
        '201',
        '400',
        '401',
        '403',
        '413',
        '429',
        '503',
      ]);
      assert.equal(doc.paths['/1.0/files/{id}'].servers[0].url, '/');
      assert.ok(doc.paths['/1.0/files/{id}'].get.responses['404']);
      assert.ok(
        doc.paths['/apps/{appId}'].patch.requestBody.content['application/json'].schema.properties.fileMaxBytes,
      );
    } finally {
      await server.stop();
    }
  });
});
