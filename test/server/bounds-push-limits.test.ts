/**
 * Reliability B6, push limits: pushes in flight and queued per server, pushes per recipient per
 * minute, subscriptions per user, and a push service that answers too slowly. Every push goes to
 * a stand-in on loopback that this test allows explicitly.
 */
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import type { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';
import { pushServer, register, stored, stubResolver, type PushTestServer } from '../helpers/push-bounds.js';
import { PushServiceStandIn } from '../helpers/push-service-stand-in.js';

describe('push limits: in flight, queued, per recipient, subscriptions per user', () => {
  let env: PushTestServer;
  let standIn: PushServiceStandIn;
  const resolver = stubResolver({ 'push.stand-in.test': [{ address: '127.0.0.1', family: 4 }] });
  let sender: Peer;

  before(async () => {
    standIn = await PushServiceStandIn.start({ names: ['push.stand-in.test'] });
    env = await pushServer({
      push: {
        // The loopback stand-in is allowed here only because this test says so.
        allowedHosts: [`127.0.0.1:${standIn.port}`, `push.stand-in.test:${standIn.port}`],
        allowPrivateAddresses: true,
        ca: standIn.ca,
        resolveHost: resolver.resolveHost,
        maxInFlight: 4,
        maxQueued: 6,
        perRecipientPerMinute: 3,
        maxSubscriptionsPerUser: 3,
      },
    });
    sender = await env.peer('limits-sender', true);
  });
  after(async () => {
    await env?.stop();
    await standIn?.close();
  });

  const receivedUnder = (prefix: string) => standIn.received.filter((r) => r.path.startsWith(`/push/${prefix}`));

  it('connects by name to the address the resolver gave, with the certificate checked for the name', async () => {
    const receiver = await env.peer('named-host-user');
    const sub = standIn.subscription('named-host', { host: 'push.stand-in.test' });
    assert.deepEqual((await register(receiver, sub.endpoint, sub.keys)).result, { result: 0 });
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['named-host-user'], body: 'by name' })).result, {
      result: 0,
    });
    assert.equal(receivedUnder('named-host').length, 1);
    assert.equal(receivedUnder('named-host')[0]!.payload.body, 'by name');
    assert.ok(resolver.asked.includes('push.stand-in.test'));
  });

  it('holds at most maxInFlight pushes at once, queues maxQueued more and drops the rest', async () => {
    // 7 users x 2 subscriptions = 14 pushes from one frame: 4 in flight, 6 queued, 4 dropped.
    const uids = Array.from({ length: 7 }, (_, i) => `fanout-${i}`);
    for (const uid of uids) {
      const p = await env.peer(uid);
      for (const device of ['a', 'b']) {
        const sub = standIn.subscription(`fanout/${uid}-${device}`);
        assert.deepEqual((await register(p, sub.endpoint, sub.keys)).result, { result: 0 });
      }
    }
    standIn.maxInFlight = 0;
    standIn.holdAnswers();
    const answer = sender.request({ t: 'push.send', to: uids, body: 'everyone' });
    let answered = 0;
    try {
      for (const expected of [4, 4, 2]) {
        await waitFor(() => standIn.heldCount === expected, { what: `${expected} pushes held at the stand-in` });
        assert.equal(standIn.inFlight, expected);
        answered += standIn.releaseAnswers();
      }
    } finally {
      standIn.releaseAnswers({ stopHolding: true });
    }
    assert.deepEqual((await answer).result, { result: 0 });
    assert.equal(answered, 10);
    assert.equal(receivedUnder('fanout/').length, 10);
    assert.equal(standIn.maxInFlight, 4);
  });

  it('pushes one recipient at most perRecipientPerMinute times; other recipients are unaffected', async () => {
    const busy = await env.peer('busy-recipient');
    const busySub = standIn.subscription('busy');
    assert.deepEqual((await register(busy, busySub.endpoint, busySub.keys)).result, { result: 0 });
    const calm = await env.peer('calm-recipient');
    const calmSub = standIn.subscription('calm');
    assert.deepEqual((await register(calm, calmSub.endpoint, calmSub.keys)).result, { result: 0 });

    for (let i = 0; i < 6; i++) {
      const answer = await sender.request({ t: 'push.send', to: ['busy-recipient'], body: `n${i}` });
      // Over the limit nothing is pushed, and Push.send says so with an error from the table.
      if (i < 3) assert.deepEqual(answer.result, { result: 0 });
      else
        assert.match(
          `${answer.error.code} ${answer.error.description}`,
          /^-20000 .*1 recipients over their push limit/,
        );
    }
    assert.deepEqual(
      receivedUnder('busy').map((r) => r.payload.body),
      ['n0', 'n1', 'n2'],
    );
    assert.deepEqual(
      (await sender.request({ t: 'push.send', to: ['calm-recipient', 'busy-recipient'], body: 'both' })).result,
      { result: 0 },
    );
    assert.deepEqual(
      receivedUnder('calm').map((r) => r.payload.body),
      ['both'],
    );
    assert.equal(receivedUnder('busy').length, 3);
  });

  it('keeps at most maxSubscriptionsPerUser subscriptions, evicting the oldest', async () => {
    const p = await env.peer('many-devices');
    const subs = Array.from({ length: 5 }, (_, i) => standIn.subscription(`device-${i}`));
    for (const sub of subs) assert.deepEqual((await register(p, sub.endpoint, sub.keys)).result, { result: 0 });
    assert.deepEqual(
      (await stored(env.server, env.app.appId, 'many-devices')).sort(),
      subs
        .slice(2)
        .map((s) => s.endpoint)
        .sort(),
    );
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['many-devices'], body: 'which?' })).result, {
      result: 0,
    });
    assert.deepEqual(
      receivedUnder('device-')
        .map((r) => r.path)
        .sort(),
      ['/push/device-2', '/push/device-3', '/push/device-4'],
    );
  });
});

describe('push limits: a push service that answers too slowly', () => {
  let env: PushTestServer;
  let drip: HttpsServer;
  let ca: string;
  let port = 0;
  const sockets = { opened: 0, closed: 0 };
  const TIMEOUT_MS = 600;

  before(async () => {
    // Answers 201 and then one byte every 50 ms, never ending: an idle timeout never fires.
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    ca = pems.cert;
    drip = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(201);
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
      });
    });
    drip.on('secureConnection', (socket) => {
      sockets.opened++;
      socket.on('close', () => sockets.closed++);
    });
    await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
    port = (drip.address() as { port: number }).port;
    env = await pushServer({
      push: { allowedHosts: [`127.0.0.1:${port}`], allowPrivateAddresses: true, ca, timeoutMs: TIMEOUT_MS },
    });
  });
  after(async () => {
    await env?.stop();
    drip?.closeAllConnections();
    await new Promise<void>((resolve) => (drip ? drip.close(() => resolve()) : resolve()));
  });

  it('gives up on a push after timeoutMs even while bytes keep coming, freeing its slot', async () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
    const receiver = await env.peer('slow-service-user');
    assert.deepEqual((await register(receiver, `https://127.0.0.1:${port}/push/slow`, keys)).result, { result: 0 });
    const sender = await env.peer('slow-service-sender', true);
    const started = Date.now();
    const answer = await sender.request({ t: 'push.send', to: ['slow-service-user'], body: 'slow' });
    const took = Date.now() - started;
    assert.equal(answer.error.code, -20000);
    assert.ok(took >= TIMEOUT_MS, `answered after ${took} ms, before the deadline`);
    assert.equal(sockets.opened, 1);
    await waitFor(() => sockets.closed === 1, { what: 'the slow connection closed by the server' });
  });
});
