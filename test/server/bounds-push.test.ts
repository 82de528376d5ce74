/**
 * Reliability B6: push targets and push limits. Only loopback is ever connected to: "private"
 * names resolve through a stub resolver to loopback addresses, and other private addresses
 * appear only as IP literals refused before any connection.
 */
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { forbiddenAddressRange } from '../../src/server/messaging/push/address-check.js';
import { pushOptionsFromCli } from '../../src/server/messaging/push/push-cli.js';
import { PushHostAllowlist } from '../../src/server/messaging/push/push-hosts.js';
import { DEFAULT_PUSH_HOSTS } from '../../src/server/messaging/push/push-options.js';
import { Peer, waitUntil } from '../helpers/messaging-peer.js';
import { PushServiceStandIn, type StandInSubscription } from '../helpers/push-service-stand-in.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { generate } from 'selfsigned';

/** A resolver that answers from a table and records what it was asked. */
function stubResolver(table: Record<string, LookupAddress[]>) {
  const asked: string[] = [];
  const resolveHost = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`stub resolver: no ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return { asked, resolveHost };
}

/** A server with one app, and peers on it that are closed with it. */
async function pushServer(push: NonNullable<Parameters<typeof startTestServer>[0]>['messaging']) {
  const server = await startTestServer({ ...relaxedLimits, messaging: { sendRate: { burst: 1000, perSecond: 1000 }, ...push } });
  const app = await server.createApp(['localhost']);
  const token = app.token('web', 'production');
  const peers: Peer[] = [];
  return {
    server,
    app,
    async peer(uid: string, messaging = false): Promise<Peer> {
      const p = await Peer.connect(server.url, token, uid, { messaging });
      peers.push(p);
      return p;
    },
    async stop(): Promise<void> {
      await Promise.all(peers.map((p) => p.close()));
      await server.stop();
    },
  };
}

function register(p: Peer, endpoint: string, keys: StandInSubscription['keys']): Promise<any> {
  return p.request({ t: 'push.register', subscription: { endpoint, expirationTime: null, keys } });
}

async function stored(server: TestServer, appId: string, uid: string): Promise<string[]> {
  return (await server.store.push.forUsers(appId, [uid])).map((s) => s.endpoint);
}

describe('push targets: address ranges and the allowlist', () => {
  it('classifies private, loopback, link-local, unique-local, CGNAT, multicast and unspecified addresses, mapped or not', () => {
    const refused = [
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '0.0.0.0', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fd00::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.1.1',
      '64:ff9b::a00:1', '2002:a00:1::1',
    ];
    for (const address of refused) assert.ok(forbiddenAddressRange(address), address);
    // Public unicast (classified only; nothing is sent to them).
    for (const address of ['8.8.8.8', '142.250.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      assert.equal(forbiddenAddressRange(address), undefined, address);
    }
    assert.equal(forbiddenAddressRange('not an address'), 'invalid');
  });

  it('matches hosts exactly, *.suffix on subdomains only, and port 443 unless an entry names another', () => {
    const list = new PushHostAllowlist(['fcm.googleapis.com', '*.notify.windows.com', 'push.example.com:8443', '[::1]:9000']);
    assert.ok(list.allowsUrl(new URL('https://fcm.googleapis.com/fcm/send/x')));
    assert.ok(list.allowsUrl(new URL('https://FCM.googleapis.com:443/x')));
    assert.ok(list.allowsUrl(new URL('https://wns2-by3p.notify.windows.com/w/?token=x')));
    assert.ok(list.allowsUrl(new URL('https://push.example.com:8443/x')));
    assert.ok(list.allowsConnection('::1', 9000));
    for (const url of [
      'https://notify.windows.com/x',
      'https://fcm.googleapis.com.evil.example/x',
      'https://evilfcm.googleapis.com/x',
      'https://fcm.googleapis.com:8443/x',
      'https://push.example.com/x',
      'https://[::1]/x',
    ]) {
      assert.equal(list.allowsUrl(new URL(url)), false, url);
    }
    for (const bad of ['https://fcm.googleapis.com', 'a/b', '*.10.0.0.1', 'user@host', '']) {
      assert.throws(() => new PushHostAllowlist([bad]), /allowedHosts/, bad);
    }
  });
});

describe('push options from the command line', () => {
  const usageError = (m: string) => new Error(m);

  it('--push-allow-host adds to the known push services; limits are whole numbers in range; the environment fills in', () => {
    assert.deepEqual(pushOptionsFromCli({}, usageError, {}), {});
    assert.deepEqual(pushOptionsFromCli({ 'push-allow-host': ['push.example.com:8443'], 'push-max-in-flight': '8' }, usageError, {}), {
      allowedHosts: [...DEFAULT_PUSH_HOSTS, 'push.example.com:8443'],
      maxInFlight: 8,
    });
    assert.deepEqual(pushOptionsFromCli({}, usageError, { OOVOO_PUSH_ALLOW_HOSTS: '*.push.example.org, a.example', OOVOO_PUSH_PER_RECIPIENT_PER_MINUTE: '5' }), {
      allowedHosts: [...DEFAULT_PUSH_HOSTS, '*.push.example.org', 'a.example'],
      perRecipientPerMinute: 5,
    });
    assert.throws(() => pushOptionsFromCli({ 'push-allow-host': ['https://x.example/'] }, usageError, {}), /--push-allow-host/);
    assert.throws(() => pushOptionsFromCli({ 'push-max-in-flight': '0' }, usageError, {}), /--push-max-in-flight must be/);
    assert.throws(() => pushOptionsFromCli({ 'push-per-recipient-per-minute': '1.5' }, usageError, {}), /--push-per-recipient-per-minute must be/);
  });
});

describe('push targets: refused when subscribing, with the default allowlist', () => {
  let env: Awaited<ReturnType<typeof pushServer>>;
  let standIn: PushServiceStandIn;

  before(async () => {
    standIn = await PushServiceStandIn.start();
    env = await pushServer({});
  });
  after(async () => {
    await env?.stop();
    await standIn?.close();
  });

  it('refuses loopback, private, link-local, mapped, unknown-host, http, odd-port and credential endpoints with -40000; stores nothing', async () => {
    const p = await env.peer('target-tester');
    const { keys } = standIn.subscription('unused');
    const cases: Array<[string, RegExp]> = [
      [`https://127.0.0.1:${standIn.port}/push/x`, /not on a known push service/],
      ['https://127.0.0.1/push/x', /not on a known push service/],
      ['https://10.0.0.1/push/x', /not on a known push service/],
      ['https://169.254.169.254/latest/meta-data', /not on a known push service/],
      ['https://[::1]/push/x', /not on a known push service/],
      ['https://[::ffff:127.0.0.1]/push/x', /not on a known push service/],
      ['https://2130706433/push/x', /not on a known push service/],
      ['https://localhost/push/x', /not on a known push service/],
      ['https://push.evil.example/x', /not on a known push service/],
      ['https://fcm.googleapis.com.evil.example/fcm/send/x', /not on a known push service/],
      ['https://notify.windows.com/w/?token=x', /not on a known push service/],
      ['http://fcm.googleapis.com/fcm/send/x', /must be an https URL/],
      ['https://fcm.googleapis.com:8443/fcm/send/x', /own port, not 8443/],
      ['https://fcm.googleapis.com:22/fcm/send/x', /own port, not 22/],
      ['https://user:pw@fcm.googleapis.com/fcm/send/x', /user name or password/],
    ];
    for (const [endpoint, description] of cases) {
      const answer = await register(p, endpoint, keys);
      assert.equal(answer.error?.code, -40000, endpoint);
      assert.match(answer.error.description, description, endpoint);
    }
    assert.deepEqual(await stored(env.server, env.app.appId, 'target-tester'), []);
    assert.equal(standIn.connections, 0);
  });

  it('refuses at send time a subscription stored before these checks (written straight to the store): no connection is made', async () => {
    const sender = await env.peer('legacy-sender', true);
    const sub = standIn.subscription('legacy');
    const { p256dh, auth } = sub.keys;
    for (const endpoint of [sub.endpoint, `https://[::ffff:127.0.0.1]:${standIn.port}/push/legacy`, `https://localhost:${standIn.port}/push/legacy`]) {
      await env.server.store.push.save({ appId: env.app.appId, uid: 'legacy-user', endpoint, kind: 'web', p256dh, auth, createdAt: Date.now() }, 10);
    }
    assert.equal((await stored(env.server, env.app.appId, 'legacy-user')).length, 3);
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['legacy-user'], body: 'old' })).result, { result: 0 });
    assert.equal(standIn.connections, 0);
    assert.equal(standIn.received.length, 0);
  });

  it('accepts the push services browsers use (stored only: nothing is pushed to them here)', async () => {
    const p = await env.peer('real-browser-user');
    const { keys } = standIn.subscription('unused-2');
    const endpoints = [
      'https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHtest',
      'https://fcm.googleapis.com/wp/dGVzdA',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAAABtest',
      'https://wns2-by3p.notify.windows.com/w/?token=BQYAAAtest',
      'https://web.push.apple.com/QGuQyavXutnMgTest',
    ];
    for (const endpoint of endpoints) assert.deepEqual((await register(p, endpoint, keys)).result, { result: 0 }, endpoint);
    assert.deepEqual((await stored(env.server, env.app.appId, 'real-browser-user')).sort(), [...endpoints].sort());
  });
});

describe('push targets: private addresses refused even when the host is allowed', () => {
  let env: Awaited<ReturnType<typeof pushServer>>;
  let standIn: PushServiceStandIn;
  const resolver = stubResolver({
    'private.push.test': [{ address: '127.0.0.1', family: 4 }],
    'mapped.push.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
    'both.push.test': [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }],
  });

  before(async () => {
    standIn = await PushServiceStandIn.start({ names: ['private.push.test', 'mapped.push.test', 'both.push.test'] });
    const port = standIn.port;
    env = await pushServer({
      push: {
        allowedHosts: [
          `private.push.test:${port}`, `mapped.push.test:${port}`, `both.push.test:${port}`,
          `127.0.0.1:${port}`, `[::1]:${port}`, `[::ffff:127.0.0.1]:${port}`,
          '10.0.0.1', '169.254.169.254', '100.64.0.1', '[fd00::1]', '[fe80::1]', '0.0.0.0', '224.0.0.1',
        ],
        ca: standIn.ca,
        resolveHost: resolver.resolveHost,
      },
    });
  });
  after(async () => {
    await env?.stop();
    await standIn?.close();
  });

  it('refuses allowed IP literals that are not public when subscribing', async () => {
    const p = await env.peer('literal-tester');
    const { keys } = standIn.subscription('literal');
    const port = standIn.port;
    const cases: Array<[string, string]> = [
      [`https://127.0.0.1:${port}/push/literal`, 'loopback'],
      [`https://[::1]:${port}/push/literal`, 'loopback'],
      [`https://[::ffff:127.0.0.1]:${port}/push/literal`, 'loopback'],
      ['https://10.0.0.1/x', 'private'],
      ['https://169.254.169.254/x', 'linkLocal'],
      ['https://100.64.0.1/x', 'carrierGradeNat'],
      ['https://[fd00::1]/x', 'uniqueLocal'],
      ['https://[fe80::1]/x', 'linkLocal'],
      ['https://0.0.0.0/x', 'unspecified'],
      ['https://224.0.0.1/x', 'multicast'],
    ];
    for (const [endpoint, range] of cases) {
      const answer = await register(p, endpoint, keys);
      assert.equal(answer.error?.code, -40000, endpoint);
      assert.equal(answer.error.description, `subscription.endpoint is on a ${range} address.`, endpoint);
    }
    assert.deepEqual(await stored(env.server, env.app.appId, 'literal-tester'), []);
    assert.equal(standIn.connections, 0);
  });

  it('refuses at send time a host name that resolves to a loopback address (plain, IPv4-mapped, or among others): no connection is made', async () => {
    const sender = await env.peer('resolve-sender', true);
    for (const host of ['private.push.test', 'mapped.push.test', 'both.push.test']) {
      const uid = `resolves-${host}`;
      const receiver = await env.peer(uid);
      const sub = standIn.subscription(host, { host });
      assert.deepEqual((await register(receiver, sub.endpoint, sub.keys)).result, { result: 0 }, host);
      const askedBefore = resolver.asked.length;
      const answer = await sender.request({ t: 'push.send', to: [uid], body: 'hello?' });
      assert.deepEqual(answer.result, { result: 0 });
      // The push was attempted (the name was resolved) and refused before connecting.
      assert.deepEqual(resolver.asked.slice(askedBefore), [host]);
      assert.equal(standIn.connections, 0, host);
      // A refusal is not a 410: the subscription stays.
      assert.deepEqual(await stored(env.server, env.app.appId, uid), [sub.endpoint]);
    }
    assert.equal(standIn.received.length, 0);
  });

  it('refuses at send time an allowed loopback IP literal stored before these checks: no connection is made', async () => {
    const sender = await env.peer('literal-sender', true);
    const sub = standIn.subscription('stored-literal');
    const { p256dh, auth } = sub.keys;
    for (const endpoint of [sub.endpoint, `https://[::ffff:127.0.0.1]:${standIn.port}/push/stored-literal`]) {
      await env.server.store.push.save({ appId: env.app.appId, uid: 'stored-literal', endpoint, kind: 'web', p256dh, auth, createdAt: Date.now() }, 10);
    }
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['stored-literal'], body: 'old' })).result, { result: 0 });
    assert.equal(standIn.connections, 0);
    assert.equal((await stored(env.server, env.app.appId, 'stored-literal')).length, 2);
  });
});

describe('push limits: in flight, queued, per recipient, subscriptions per user', () => {
  let env: Awaited<ReturnType<typeof pushServer>>;
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
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['named-host-user'], body: 'by name' })).result, { result: 0 });
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
        await waitUntil(() => standIn.heldCount === expected, `${expected} pushes held at the stand-in`);
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
      assert.deepEqual((await sender.request({ t: 'push.send', to: ['busy-recipient'], body: `n${i}` })).result, { result: 0 });
    }
    assert.deepEqual(receivedUnder('busy').map((r) => r.payload.body), ['n0', 'n1', 'n2']);
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['calm-recipient', 'busy-recipient'], body: 'both' })).result, { result: 0 });
    assert.deepEqual(receivedUnder('calm').map((r) => r.payload.body), ['both']);
    assert.equal(receivedUnder('busy').length, 3);
  });

  it('keeps at most maxSubscriptionsPerUser subscriptions, evicting the oldest', async () => {
    const p = await env.peer('many-devices');
    const subs = Array.from({ length: 5 }, (_, i) => standIn.subscription(`device-${i}`));
    for (const sub of subs) assert.deepEqual((await register(p, sub.endpoint, sub.keys)).result, { result: 0 });
    assert.deepEqual((await stored(env.server, env.app.appId, 'many-devices')).sort(), subs.slice(2).map((s) => s.endpoint).sort());
    assert.deepEqual((await sender.request({ t: 'push.send', to: ['many-devices'], body: 'which?' })).result, { result: 0 });
    assert.deepEqual(receivedUnder('device-').map((r) => r.path).sort(), ['/push/device-2', '/push/device-3', '/push/device-4']);
  });
});

describe('push limits: a push service that answers too slowly', () => {
  let env: Awaited<ReturnType<typeof pushServer>>;
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
    env = await pushServer({ push: { allowedHosts: [`127.0.0.1:${port}`], allowPrivateAddresses: true, ca, timeoutMs: TIMEOUT_MS } });
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
    assert.deepEqual(answer.result, { result: 0 });
    assert.ok(took >= TIMEOUT_MS, `answered after ${took} ms, before the deadline`);
    assert.equal(sockets.opened, 1);
    await waitUntil(() => sockets.closed === 1, 'the slow connection closed by the server');
  });
});
