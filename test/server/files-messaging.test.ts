import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FolderFileBytes } from '../../src/server/files/file-bytes.js';
import { downloadFile, samplePdf, samplePng, sha256, uploadFile } from '../helpers/files.js';
import { Peer } from '../helpers/socket.js';
import { STORE_ENGINES } from '../helpers/store-engines.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const DAY_MS = 24 * 3600_000;

/** Files sent with messages: deliveries and history pages carry them, and they go with their message. */
describe('chat files in messages', () => {
  let server: TestServer;
  let app: TestApp;
  let token: string;
  const peers: Peer[] = [];
  let n = 0;
  const uid = (name: string) => `${name}-${++n}`;
  const connect = async (id: string) => {
    const peer = await Peer.connect(server.url, token, id);
    peers.push(peer);
    return peer;
  };
  const bearer = (id: string) => sessionTokenFor(server.url, token, id);
  const ack = async (peer: Peer, frame: Record<string, unknown>) => {
    const answer = await peer.request(frame);
    assert.equal(answer.t, 'ack', JSON.stringify(answer));
    return answer.result;
  };
  const path = (id: string) => new FolderFileBytes(server.dataDir).path(app.appId, id);

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      messaging: { sendRate: { burst: 1000, perSecond: 1000 } },
      files: { unsentTtlMs: 60_000 },
    });
    app = await server.createApp(['localhost', '127.0.0.1']);
    token = app.token('web', 'production');
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it("carries the files' FileInfo in the recipient's delivery and in both users' history", async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const png = await uploadFile(server.url, await bearer(alice.uid), `with=${bob.uid}&name=cat.png`, samplePng(400));
    const thumb = await uploadFile(
      server.url,
      await bearer(alice.uid),
      `with=${bob.uid}&name=cat-small.png`,
      samplePng(8),
    );
    const pdf = await uploadFile(server.url, await bearer(alice.uid), `with=${bob.uid}&name=doc.pdf`, samplePdf());
    const files = [{ id: png.body.id, thumb: thumb.body.id }, { id: pdf.body.id }];
    const { msg_id } = await ack(alice, { t: 'msg.send', to: [bob.uid], body: 'look', files });
    const expected = [{ ...png.body, thumb: thumb.body.id }, { ...pdf.body }];
    const delivered = await waitFor(() => bob.entries.find((e) => e.msg_id === msg_id), {
      what: 'the delivery of the message with files',
    });
    assert.deepEqual(delivered.files, expected);
    for (const [peer, other] of [
      [alice, bob.uid],
      [bob, alice.uid],
    ] as const) {
      const page = await ack(peer, { t: 'msg.history', with: other });
      assert.deepEqual(page.items[0].files, expected, peer.uid);
    }
    // A message without files carries no files field.
    const plain = await ack(alice, { t: 'msg.send', to: [bob.uid], body: 'plain' });
    const plainEntry = await waitFor(() => bob.entries.find((e) => e.msg_id === plain.msg_id), { what: 'plain' });
    assert.equal('files' in plainEntry, false);
    const got = await downloadFile(server.url, await bearer(bob.uid), pdf.body.id);
    assert.equal(sha256(got.bytes!), sha256(samplePdf()));
  });

  it("refuses a send naming another user's file, another conversation's, an unknown or an already sent one", async () => {
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    const carol = uid('carol');
    const bobs = await uploadFile(server.url, await bearer(bob.uid), `with=${alice.uid}&name=b.pdf`, samplePdf());
    const toCarol = await uploadFile(server.url, await bearer(alice.uid), `with=${carol}&name=c.pdf`, samplePdf());
    const own = await uploadFile(server.url, await bearer(alice.uid), `with=${bob.uid}&name=a.pdf`, samplePdf());
    const cases: Array<[string, unknown, number, RegExp]> = [
      ["another user's file", [{ id: bobs.body.id }], -35001, /not your upload/],
      ["another conversation's file", [{ id: toCarol.body.id }], -35001, /another conversation/],
      ["another user's thumbnail", [{ id: own.body.id, thumb: bobs.body.id }], -35001, /not your upload/],
      ['an unknown file', [{ id: `f_${'C'.repeat(32)}` }], -50001, /no file/],
      ['a malformed id', [{ id: 'x' }], -40000, /files/],
      ['no files', [], -40000, /files/],
      ['too many files', Array.from({ length: 11 }, () => ({ id: own.body.id })), -40000, /files/],
    ];
    for (const [name, files, code, words] of cases) {
      const answer = await alice.request({ t: 'msg.send', to: [bob.uid], body: 'x', files });
      assert.equal(answer.t, 'error', name);
      assert.equal(answer.error.code, code, `${name}: ${JSON.stringify(answer.error)}`);
      assert.match(answer.error.description, words, name);
    }
    const page = await ack(bob, { t: 'msg.history', with: alice.uid });
    assert.equal(page.items.length, 0, 'nothing stored');
    assert.equal(bob.entries.length, 0, 'nothing delivered');
    // The refused sends claimed nothing: the file still goes with a good send, once.
    await ack(alice, { t: 'msg.send', to: [bob.uid], body: 'ok', files: [{ id: own.body.id }] });
    const again = await alice.request({ t: 'msg.send', to: [bob.uid], body: 'again', files: [{ id: own.body.id }] });
    assert.equal(again.error.code, -40000);
    assert.match(again.error.description, /sent with another message/);
  });

  it("removes a message's files when it is deleted for everyone", async () => {
    const alice = await connect(uid('alice'));
    const bob = uid('bob');
    const up = await uploadFile(server.url, await bearer(alice.uid), `with=${bob}&name=a.png`, samplePng());
    const { msg_id } = await ack(alice, { t: 'msg.send', to: [bob], body: 'oops', files: [{ id: up.body.id }] });
    assert.ok(existsSync(path(up.body.id)));
    await ack(alice, { t: 'msg.delete', msg_id });
    assert.equal(existsSync(path(up.body.id)), false);
    assert.equal((await downloadFile(server.url, await bearer(bob), up.body.id)).status, 404);
    const page = await ack(alice, { t: 'msg.history', with: bob });
    assert.equal('files' in page.items[0], false);
  });

  it('ends unsent uploads after their time, and sent files with their history', async () => {
    const alice = await connect(uid('alice'));
    const bob = uid('bob');
    const unsent = await uploadFile(server.url, await bearer(alice.uid), `with=${bob}&name=u.pdf`, samplePdf());
    const sent = await uploadFile(server.url, await bearer(alice.uid), `with=${bob}&name=s.pdf`, samplePdf());
    await ack(alice, { t: 'msg.send', to: [bob], body: 'kept', files: [{ id: sent.body.id }] });
    await server.files.sweeps.unsent.sweep(Date.now() + 61_000);
    assert.equal(existsSync(path(unsent.body.id)), false, 'the unsent upload went');
    assert.equal(existsSync(path(sent.body.id)), true, 'the sent one stays');
    await server.apps.setHistoryDays(app.appId, 1);
    await server.files.sweeps.sent.sweep(Date.now() + 2 * DAY_MS);
    await server.apps.setHistoryDays(app.appId, 30);
    assert.equal(existsSync(path(sent.body.id)), false, 'the sent one went with its history');
    assert.equal((await downloadFile(server.url, await bearer(bob), sent.body.id)).status, 404);
  });
});

describe('chat files in the store (nodes sharing a PostgreSQL)', () => {
  it('keeps the bytes in the store: same hash back, nothing over the limit, gone with the message', async () => {
    const place = await STORE_ENGINES.find((e) => e.name === 'postgres')!.place();
    const server = await startTestServer({ ...relaxedLimits, ...place.serverOptions() });
    try {
      const app = await server.createApp(['localhost']);
      await server.apps.setFileLimits(app.appId, { maxBytes: 600 * 1024 });
      const alice = await Peer.connect(server.url, app.token('web', 'production'), 'alice');
      const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
      const big = Buffer.concat([samplePdf(), Buffer.alloc(550 * 1024, 9)]);
      const up = await uploadFile(server.url, token, 'with=bob&name=big.pdf', big);
      const chunks = async () => Number((await place.query('SELECT count(*) AS n FROM file_chunks'))[0]!.n);
      assert.equal(up.status, 201);
      assert.equal(await chunks(), 3, '550 KB in 256 KB chunks');
      const got = await downloadFile(server.url, token, up.body.id);
      assert.equal(sha256(got.bytes!), sha256(big));
      const over = await uploadFile(server.url, token, 'with=bob&name=over.bin', Buffer.alloc(700 * 1024, 1));
      assert.equal(over.status, 413);
      assert.equal(await chunks(), 3, 'nothing of the refused file');
      const answer = await alice.request({ t: 'msg.send', to: ['bob'], body: 'x', files: [{ id: up.body.id }] });
      await alice.request({ t: 'msg.delete', msg_id: answer.result.msg_id });
      assert.equal(await chunks(), 0);
      assert.equal((await place.query('SELECT count(*) AS n FROM files'))[0]!.n, '0');
      await alice.close();
    } finally {
      await server.stop();
    }
  });
});
