import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { HTML, SVG, downloadFile, samplePdf, samplePng, sha256, uploadFile } from '../helpers/files.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

/** Uploads and downloads of chat files over HTTP (POST /1.0/files, GET /1.0/files/<id>) on the data folder. */
describe('chat files over HTTP', () => {
  let server: TestServer;
  let app: TestApp;
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;
  const tokens = new Map<string, string>();
  const tokenOf = async (id: string) => {
    if (!tokens.has(id)) tokens.set(id, await sessionTokenFor(server.url, app.token('web', 'production'), id));
    return tokens.get(id)!;
  };

  /** Files on disk (whole and partial) and rows in the table. */
  const stored = () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    const onDisk = (() => {
      try {
        return walk(join(server.dataDir, 'files')).length;
      } catch {
        return 0;
      }
    })();
    const db = new SQLite(join(server.dataDir, 'oovoo.sqlite'), { readonly: true });
    try {
      const rows = (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
      return { onDisk, rows };
    } finally {
      db.close();
    }
  };

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, files: { uploadRate: { burst: 1000, perSecond: 1000 } } });
    app = await server.createApp(['localhost', '127.0.0.1']);
  });

  after(async () => {
    await server.stop();
  });

  it('keeps a PDF and a PNG byte for byte, typed from their content, and serves only the image inline', async () => {
    const alice = uid('alice');
    const bob = uid('bob');
    const pdf = samplePdf();
    const png = samplePng();
    const upPdf = await uploadFile(
      server.url,
      await tokenOf(alice),
      `with=${bob}&name=${encodeURIComponent('Rapport é.pdf')}`,
      pdf,
    );
    const upPng = await uploadFile(server.url, await tokenOf(alice), `with=${bob}&name=photo.jpg`, png, {
      headers: { 'content-type': 'application/pdf' },
    });
    assert.equal(upPdf.status, 201, JSON.stringify(upPdf.body));
    assert.deepEqual(upPdf.body, {
      id: upPdf.body.id,
      name: 'Rapport é.pdf',
      size: pdf.length,
      type: 'application/pdf',
    });
    assert.match(upPdf.body.id, /^f_[A-Za-z0-9_-]{32}$/);
    assert.equal(upPng.status, 201);
    assert.equal(upPng.body.type, 'image/png', 'the content decides, not the name or the Content-Type');

    const gotPdf = await downloadFile(server.url, await tokenOf(bob), upPdf.body.id);
    const gotPng = await downloadFile(server.url, await tokenOf(alice), upPng.body.id);
    assert.equal(gotPdf.status, 200);
    assert.equal(sha256(gotPdf.bytes!), sha256(pdf));
    assert.equal(gotPdf.headers.get('content-type'), 'application/octet-stream');
    assert.equal(
      gotPdf.headers.get('content-disposition'),
      `attachment; filename="Rapport _.pdf"; filename*=UTF-8''Rapport%20%C3%A9.pdf`,
    );
    assert.equal(sha256(gotPng.bytes!), sha256(png));
    assert.equal(gotPng.headers.get('content-type'), 'image/png');
    assert.match(gotPng.headers.get('content-disposition')!, /^inline; /);
    for (const got of [gotPdf, gotPng]) {
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(got.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      assert.equal(got.headers.get('cache-control'), 'private');
    }
  });

  it('never serves HTML or SVG as what they are, whatever the name says', async () => {
    const alice = uid('alice');
    const bob = uid('bob');
    for (const [name, content] of [
      ['x.png', HTML],
      ['x.html', HTML],
      ['drawing.svg', SVG],
    ] as const) {
      const up = await uploadFile(server.url, await tokenOf(alice), `with=${bob}&name=${name}`, content, {
        headers: { 'content-type': name.endsWith('svg') ? 'image/svg+xml' : 'image/png' },
      });
      assert.equal(up.status, 201);
      // file-type names no HTML or SVG (an XML prolog is application/xml): none of them is an image.
      assert.equal(up.body.type, content === HTML ? 'application/octet-stream' : 'application/xml', name);
      const got = await downloadFile(server.url, await tokenOf(bob), up.body.id);
      assert.equal(got.headers.get('content-type'), 'application/octet-stream', name);
      assert.match(got.headers.get('content-disposition')!, /^attachment; /, name);
      assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(got.bytes!.toString(), content.toString());
    }
  });

  it('serves a file only to members of its conversation', async () => {
    const [alice, bob, carol, dave] = [uid('alice'), uid('bob'), uid('carol'), uid('dave')];
    const oneToOne = await uploadFile(server.url, await tokenOf(alice), `with=${bob}&name=a.pdf`, samplePdf());
    const group = await uploadFile(
      server.url,
      await tokenOf(alice),
      `group=${bob}&group=${carol}&name=g.pdf`,
      samplePdf(),
    );
    for (const [reader, id, status] of [
      [bob, oneToOne.body.id, 200],
      [carol, oneToOne.body.id, 403],
      [carol, group.body.id, 200],
      [dave, group.body.id, 403],
    ] as const) {
      const got = await downloadFile(server.url, await tokenOf(reader), id);
      assert.equal(got.status, status, `${reader} reading ${id}`);
      if (status === 403) assert.equal(got.body.error.code, -35001);
    }
    const unknown = await downloadFile(server.url, await tokenOf(alice), `f_${'A'.repeat(32)}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, -50001);
  });

  it('refuses a file over the app limit with 413 and keeps nothing, streamed or not', async () => {
    const small = await server.createApp(['localhost']);
    await server.apps.setFileLimits(small.appId, { maxBytes: 4096 });
    const token = await sessionTokenFor(server.url, small.token('web', 'production'), 'alice');
    const before = stored();
    const declared = await uploadFile(server.url, token, 'with=bob&name=big.pdf', samplePdf(5000));
    const chunks = Array.from({ length: 10 }, () => new Uint8Array(1024).fill(7));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await uploadFile(server.url, token, 'with=bob&name=big.bin', stream);
    const fits = await uploadFile(server.url, token, 'with=bob&name=fits.bin', Buffer.alloc(4096, 1));
    for (const refused of [declared, streamed]) {
      assert.equal(refused.status, 413);
      assert.equal(refused.body.error.code, -60320);
      assert.match(refused.body.error.description, /larger than this app allows \(0 MB\)|larger than this app allows/);
    }
    assert.equal(fits.status, 201);
    assert.deepEqual(stored(), { onDisk: before.onDisk + 1, rows: before.rows + 1 });
  });

  it('holds each user to the per-user quota of files kept', async () => {
    const quota = await server.createApp(['localhost']);
    await server.apps.setFileLimits(quota.appId, { quotaBytes: 10_000 });
    const token = await sessionTokenFor(server.url, quota.token('web', 'production'), 'alice');
    const other = await sessionTokenFor(server.url, quota.token('web', 'production'), 'bob');
    const first = await uploadFile(server.url, token, 'with=bob&name=1.bin', Buffer.alloc(6000, 1));
    const before = stored();
    const second = await uploadFile(server.url, token, 'with=bob&name=2.bin', Buffer.alloc(6000, 2));
    const othersOwn = await uploadFile(server.url, other, 'with=alice&name=3.bin', Buffer.alloc(6000, 3));
    assert.equal(first.status, 201);
    assert.equal(second.status, 413);
    assert.equal(second.body.error.code, -60321);
    assert.match(second.body.error.description, /you may keep/);
    assert.equal(othersOwn.status, 201, "one user's files do not count against another's");
    assert.deepEqual(stored(), { onDisk: before.onDisk + 1, rows: before.rows + 1 });
  });

  it('refuses bad input on both endpoints with a clear error, storing nothing', async () => {
    const alice = uid('alice');
    const token = await tokenOf(alice);
    const body = samplePdf(10);
    const before = stored();
    const uploads: Array<[string, string | null, string, number, number, RegExp]> = [
      ['no token', null, 'with=bob&name=a.pdf', 401, -30001, /Authorization: Bearer/],
      ['invalid token', 'not.a.token', 'with=bob&name=a.pdf', 401, -30001, /not valid/],
      ['no conversation', token, 'name=a.pdf', 400, -40000, /exactly one of with/],
      ['two kinds', token, 'with=bob&group=carol&name=a.pdf', 400, -40000, /exactly one of with/],
      ['with twice', token, 'with=bob&with=carol&name=a.pdf', 400, -40000, /more than once/],
      ['no name', token, 'with=bob', 400, -40000, /name/],
      ['name too long', token, `with=bob&name=${'n'.repeat(256)}`, 400, -40000, /at most 255/],
      ['control character', token, 'with=bob&name=a%0A.pdf', 400, -40000, /control/],
      ['unknown parameter', token, 'with=bob&name=a.pdf&type=image/png', 400, -40000, /not a known/],
      ['empty user id', token, 'with=&name=a.pdf', 400, -40000, /user id/],
      ['not in the conference', token, 'conference=room-1&name=a.pdf', 403, -35001, /participant/],
    ];
    for (const [name, t, query, status, code, words] of uploads) {
      const answer = await uploadFile(server.url, t, query, body);
      assert.equal(answer.status, status, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.error.code, code, name);
      assert.match(answer.body.error.description, words, name);
    }
    const downloads: Array<[string, string | null, string, number, number]> = [
      ['no token', null, `f_${'B'.repeat(32)}`, 401, -30001],
      ['bad id', token, 'not-a-file-id', 400, -40000],
      ['id too long', token, `f_${'B'.repeat(40)}`, 400, -40000],
    ];
    for (const [name, t, id, status, code] of downloads) {
      const answer = await downloadFile(server.url, t, id);
      assert.equal(answer.status, status, name);
      assert.equal(answer.body.error.code, code, name);
    }
    assert.deepEqual(stored(), before);
  });

  it('lets only the app’s permitted origins read answers (CORS), and refuses a web token from another origin', async () => {
    const alice = uid('alice');
    const token = await tokenOf(alice);
    const preflight = await fetch(`${server.url}/1.0/files`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers')!, /authorization/);
    const up = await uploadFile(server.url, token, 'with=bob&name=a.pdf', samplePdf(), {
      origin: 'http://localhost:5173',
    });
    const got = await downloadFile(server.url, token, up.body.id, { origin: 'http://localhost:5173' });
    assert.equal(up.status, 201);
    assert.equal(up.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('access-control-allow-origin'), 'http://localhost:5173');

    const before = stored();
    const foreignUp = await uploadFile(server.url, token, 'with=bob&name=a.pdf', samplePdf(), {
      origin: 'https://evil.example',
    });
    const foreignGet = await downloadFile(server.url, token, up.body.id, { origin: 'https://evil.example' });
    for (const refused of [foreignUp, foreignGet]) {
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, -35001);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);
    }
    assert.deepEqual(stored(), before);
  });

  it('bounds uploads per user over time (429 with Retry-After)', async () => {
    const limited = await startTestServer({ ...relaxedLimits, files: { uploadRate: { burst: 2, perSecond: 0.01 } } });
    try {
      const limitedApp = await limited.createApp(['localhost']);
      const token = await sessionTokenFor(limited.url, limitedApp.token('web', 'production'), 'alice');
      const answers = [];
      for (let i = 0; i < 3; i++)
        answers.push(await uploadFile(limited.url, token, 'with=bob&name=a.pdf', samplePdf(10)));
      assert.deepEqual(
        answers.map((a) => a.status),
        [201, 201, 429],
      );
      assert.ok(Number(answers[2]!.headers.get('retry-after')) >= 1);
    } finally {
      await limited.stop();
    }
  });
});
