import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FolderFileBytes } from '../../src/server/files/file-bytes.js';
import { downloadFile, samplePdf, samplePng, sha256, uploadFile } from '../helpers/files.js';
import { Peer } from '../helpers/socket.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

/**
 * Files in a call's chat: the chat element's message names them in the call's data; the server
 * checks them (the sender's own uploads to that call), marks them sent so the unsent sweep leaves
 * them, and the call's history page carries what it knows of them.
 */
describe("files in a call's chat", () => {
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
  const join = (peer: Peer, conf: string) =>
    ack(peer, { t: 'conf.join', conf, uid: peer.uid, instance: `inst-${peer.uid}-0000` });
  /** The chat element's message to the whole call (its `sendData`); resolves once kept and relayed. */
  const say = (peer: Peer, conf: string, id: string, body: string, files?: unknown[]) =>
    ack(peer, { t: 'conf.data', conf, to: '', data: JSON.stringify({ oovooChat: 1, id, body, files }) });
  const onDisk = (id: string) => existsSync(new FolderFileBytes(server.dataDir).path(app.appId, id));

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, files: { unsentTtlMs: 60_000 } });
    app = await server.createApp(['localhost', '127.0.0.1']);
    token = app.token('web', 'production');
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server.stop();
  });

  it("keeps the files of a call's chat message: marked sent, in the history page, fetched by those in the call", async () => {
    const conf = `room-${++n}`;
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    await join(alice, conf);
    await join(bob, conf);
    const upload = async (name: string, body: Buffer) =>
      (await uploadFile(server.url, await bearer(alice.uid), `conference=${conf}&name=${name}`, body)).body;
    const png = await upload('cat.png', samplePng(400));
    const thumb = await upload('cat-small.png', samplePng(8));
    const pdf = await upload('doc.pdf', samplePdf());
    const unsent = await upload('never-sent.pdf', samplePdf(10));
    // The message's own words about its files are not taken: the page says what the server found.
    const claimed = [
      { ...png, name: 'renamed.exe', type: 'text/html', thumb: thumb.id },
      { ...pdf, size: 1 },
    ];
    await say(alice, conf, 'c-files', 'two files', claimed);

    const carol = await connect(uid('carol'));
    await join(carol, conf);
    const page = await ack(carol, { t: 'conf.history', conf });
    assert.deepEqual(page.items[0].files, [{ ...png, thumb: thumb.id }, pdf]);
    assert.equal(page.items[0].body, 'two files');

    await server.files.sweeps.unsent.sweep(Date.now() + 61_000);
    for (const kept of [png, thumb, pdf])
      assert.ok(onDisk(kept.id), `${kept.name} is sent: the unsent sweep leaves it`);
    assert.equal(onDisk(unsent.id), false, 'the upload no message named went');
    const got = await downloadFile(server.url, await bearer(carol.uid), pdf.id);
    assert.equal(sha256(got.bytes!), sha256(samplePdf()));
  });

  it("leaves out files that are not the sender's uploads to this call, or were sent already, keeping the words", async () => {
    const conf = `room-${++n}`;
    const alice = await connect(uid('alice'));
    const bob = await connect(uid('bob'));
    await join(alice, conf);
    await join(bob, conf);
    const info = async (who: Peer, query: string) =>
      (await uploadFile(server.url, await bearer(who.uid), `${query}&name=f.pdf`, samplePdf())).body;
    const bobs = await info(bob, `conference=${conf}`);
    const otherConversation = await info(alice, `with=${bob.uid}`);
    const own = await info(alice, `conference=${conf}`);
    await say(alice, conf, 'c-1', 'first', [own]);
    await say(alice, conf, 'c-2', "bob's", [bobs]);
    await say(alice, conf, 'c-3', 'a 1:1 file', [otherConversation]);
    await say(alice, conf, 'c-4', 'again', [own]);
    await say(alice, conf, 'c-5', 'one bad of two', [{ ...own }, bobs]);

    const page = await ack(bob, { t: 'conf.history', conf });
    assert.deepEqual(
      page.items.map((i: { msg_id: string; files?: unknown[] }) => [i.msg_id, i.files?.length ?? 0]),
      [
        ['c-5', 0],
        ['c-4', 0],
        ['c-3', 0],
        ['c-2', 0],
        ['c-1', 1],
      ],
    );
    await server.files.sweeps.unsent.sweep(Date.now() + 61_000);
    assert.ok(onDisk(own.id));
    assert.equal(onDisk(bobs.id), false, 'named only by messages that could not carry it: still unsent');
    assert.equal(onDisk(otherConversation.id), false);
  });
});
