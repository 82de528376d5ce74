/**
 * Reliability B6, push targets: which endpoints are accepted, and which addresses are never
 * connected to. Only loopback is ever connected to: "private" names resolve through a stub
 * resolver to loopback addresses, and other private addresses appear only as IP literals refused
 * before any connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { forbiddenAddressRange } from '../../src/server/messaging/push/address-check.js';
import { pushOptionsFromCli } from '../../src/server/messaging/push/push-cli.js';
import { PushHostAllowlist } from '../../src/server/messaging/push/push-hosts.js';
import { DEFAULT_PUSH_HOSTS } from '../../src/server/messaging/push/push-options.js';
import { pushServer, register, stored, stubResolver, type PushTestServer } from '../helpers/push-bounds.js';
import { PushServiceStandIn } from '../helpers/push-service-stand-in.js';

describe('push targets: address ranges and the allowlist', () => {
  it('classifies private, loopback, link-local, unique-local, CGNAT, multicast and unspecified addresses, mapped or not', () => {
    const refused = [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.1.1',
      '64:ff9b::a00:1',
      '2002:a00:1::1',
    ];
    for (const address of refused) assert.ok(forbiddenAddressRange(address), address);
    // Public unicast (classified only; nothing is sent to them).
    for (const address of ['8.8.8.8', '142.250.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      assert.equal(forbiddenAddressRange(address), undefined, address);
    }
    assert.equal(forbiddenAddressRange('not an address'), 'invalid');
  });

  it('matches hosts exactly, *.suffix on subdomains only, and port 443 unless an entry names another', () => {
    const list = new PushHostAllowlist([
      'fcm.googleapis.com',
      '*.notify.windows.com',
      'push.example.com:8443',
      '[::1]:9000',
    ]);
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
    assert.deepEqual(
      pushOptionsFromCli({ 'push-allow-host': ['push.example.com:8443'], 'push-max-in-flight': '8' }, usageError, {}),
      {
        allowedHosts: [...DEFAULT_PUSH_HOSTS, 'push.example.com:8443'],
        maxInFlight: 8,
      },
    );
    assert.deepEqual(
      pushOptionsFromCli({}, usageError, {
        OOVOO_PUSH_ALLOW_HOSTS: '*.push.example.org, a.example',
        OOVOO_PUSH_PER_RECIPIENT_PER_MINUTE: '5',
      }),
      {
        allowedHosts: [...DEFAULT_PUSH_HOSTS, '*.push.example.org', 'a.example'],
        perRecipientPerMinute: 5,
      },
    );
    assert.throws(
      () => pushOptionsFromCli({ 'push-allow-host': ['https://x.example/'] }, usageError, {}),
      /--push-allow-host/,
    );
    assert.throws(
      () => pushOptionsFromCli({ 'push-max-in-flight': '0' }, usageError, {}),
      /--push-max-in-flight must be/,
    );
    assert.throws(
      () => pushOptionsFromCli({ 'push-per-recipient-per-minute': '1.5' }, usageError, {}),
      /--push-per-recipient-per-minute must be/,
    );
  });
});

describe('push targets: refused when subscribing, with the default allowlist', () => {
  let env: PushTestServer;
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
    for (const endpoint of [
      sub.endpoint,
      `https://[::ffff:127.0.0.1]:${standIn.port}/push/legacy`,
      `https://localhost:${standIn.port}/push/legacy`,
    ]) {
      await env.server.store.push.save(
        { appId: env.app.appId, uid: 'legacy-user', endpoint, kind: 'web', p256dh, auth, createdAt: Date.now() },
        10,
      );
    }
    assert.equal((await stored(env.server, env.app.appId, 'legacy-user')).length, 3);
    // Nothing was accepted: an error from the table.
    assert.equal((await sender.request({ t: 'push.send', to: ['legacy-user'], body: 'old' })).error.code, -20000);
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
    for (const endpoint of endpoints)
      assert.deepEqual((await register(p, endpoint, keys)).result, { result: 0 }, endpoint);
    assert.deepEqual((await stored(env.server, env.app.appId, 'real-browser-user')).sort(), [...endpoints].sort());
  });
});

describe('push targets: private addresses refused even when the host is allowed', () => {
  let env: PushTestServer;
  let standIn: PushServiceStandIn;
  const resolver = stubResolver({
    'private.push.test': [{ address: '127.0.0.1', family: 4 }],
    'mapped.push.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
    'both.push.test': [
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ],
  });

  before(async () => {
    standIn = await PushServiceStandIn.start({ names: ['private.push.test', 'mapped.push.test', 'both.push.test'] });
    const port = standIn.port;
    env = await pushServer({
      push: {
        allowedHosts: [
          `private.push.test:${port}`,
          `mapped.push.test:${port}`,
          `both.push.test:${port}`,
          `127.0.0.1:${port}`,
          `[::1]:${port}`,
          `[::ffff:127.0.0.1]:${port}`,
          '10.0.0.1',
          '169.254.169.254',
          '100.64.0.1',
          '[fd00::1]',
          '[fe80::1]',
          '0.0.0.0',
          '224.0.0.1',
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
      assert.equal(answer.error.code, -20000);
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
      await env.server.store.push.save(
        { appId: env.app.appId, uid: 'stored-literal', endpoint, kind: 'web', p256dh, auth, createdAt: Date.now() },
        10,
      );
    }
    assert.equal((await sender.request({ t: 'push.send', to: ['stored-literal'], body: 'old' })).error.code, -20000);
    assert.equal(standIn.connections, 0);
    assert.equal((await stored(env.server, env.app.appId, 'stored-literal')).length, 2);
  });
});
