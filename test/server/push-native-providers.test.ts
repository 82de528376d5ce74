import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NativePushSettings } from '../../src/server/messaging/push/native-credentials.js';
import {
  ApnsStandIn,
  deviceRequest,
  FcmStandIn,
  loopbackCertificate,
  makeApnsKey,
  makeServiceAccount,
} from '../helpers/native-push-stand-ins.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';

const FCM_TOKEN = (name: string) => `${name}-dGVzdA:APA91bH${'x'.repeat(40)}`;
const APNS_TOKEN = (prefix: string) => prefix + 'a'.repeat(64 - prefix.length);

describe('native push providers against their stand-ins', () => {
  const account = makeServiceAccount();
  const apnsKey = makeApnsKey();
  let fcm: FcmStandIn;
  let apns: ApnsStandIn;
  let apnsSandbox: ApnsStandIn;
  let server: TestServer;
  let app: TestApp;
  let sender: Peer;
  const peers: Peer[] = [];

  before(async () => {
    const pems = await loopbackCertificate();
    [fcm, apns, apnsSandbox] = await Promise.all([
      FcmStandIn.start(account, pems),
      ApnsStandIn.start(apnsKey, pems),
      ApnsStandIn.start(apnsKey, pems),
    ]);
    // The stand-ins on loopback are the providers only because this test says so.
    server = await startTestServer({
      ...relaxedLimits,
      messaging: {
        sendRate: { burst: 1000, perSecond: 1000 },
        push: {
          allowPrivateAddresses: true,
          ca: pems.cert,
          ttlSeconds: 120,
          perRecipientPerMinute: 1000,
          native: {
            fcmTokenUri: fcm.tokenUri,
            fcmBaseUrl: fcm.baseUrl,
            apnsUrl: apns.url,
            apnsSandboxUrl: apnsSandbox.url,
          },
        },
      },
    });
    app = await server.createApp(['localhost']);
    const settings = new NativePushSettings(server.store.pushCredentials);
    await settings.setFcm(app.appId, account.text);
    await settings.setApns(app.appId, apnsKey);
    sender = await Peer.connect(server.url, app.token('web', 'production'), 'native-sender', { messaging: true });
    peers.push(sender);
  });

  after(async () => {
    await Promise.all(peers.map((p) => p.close()));
    await server?.stop();
    await Promise.all([fcm?.close(), apns?.close(), apnsSandbox?.close()]);
  });

  async function register(uid: string, body: Record<string, unknown>): Promise<void> {
    const session = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const answer = await deviceRequest(server.url, { appToken: app.token('native', 'production'), session }, body);
    assert.deepEqual(answer, { status: 200, body: { result: 0 } });
  }

  const send = (to: string[], body: string, property?: string) =>
    sender.request({ t: 'push.send', to, body, ...(property === undefined ? {} : { property }) });
  const stored = async (uid: string) =>
    (await server.store.push.forUsers(app.appId, [uid])).map((s) => `${s.kind} ${s.endpoint}`);

  it('FCM: a service-account JWT exchanged once for an access token, then messages:send with the token and the data', async () => {
    await register('fcm-user', { platform: 'fcm', token: FCM_TOKEN('phone') });
    assert.deepEqual((await send(['fcm-user'], 'Hello phone ☎', '{"room":"r1"}')).result, { result: 0 });
    assert.deepEqual((await send(['fcm-user'], 'again')).result, { result: 0 });

    assert.equal(fcm.assertions.length, 1, 'one token exchange for two pushes');
    const [claims] = fcm.assertions;
    assert.equal(claims!.kid, account.json.private_key_id);
    assert.equal(claims!.sub, account.json.client_email);
    assert.deepEqual(fcm.refusedBearers, []);
    assert.equal(fcm.received.length, 2);
    const first = fcm.received[0]!;
    assert.equal(first.project, account.json.project_id);
    assert.deepEqual(first.message, {
      token: FCM_TOKEN('phone'),
      data: { type: 'push', app: app.appId, from: 'native-sender', body: 'Hello phone ☎', property: '{"room":"r1"}' },
      android: { ttl: '120s', priority: 'high' },
    });
    assert.equal(fcm.received[1]!.message.data.body, 'again');
  });

  it('APNs: HTTP/2 with an ES256 provider token, the topic, push type and expiry; sandbox tokens go to the sandbox', async () => {
    const device = APNS_TOKEN('ab');
    const devDevice = APNS_TOKEN('cd');
    await register('apns-user', { platform: 'apns', token: device.toUpperCase() });
    await register('apns-user', { platform: 'apns', token: devDevice, environment: 'sandbox' });
    const before = Math.floor(Date.now() / 1000);
    assert.deepEqual((await send(['apns-user'], 'Ring ring', 'p')).result, { result: 0 });
    assert.deepEqual((await send(['apns-user'], 'second')).result, { result: 0 });

    assert.deepEqual(apns.refused, []);
    assert.deepEqual(
      apns.received.map((r) => r.deviceToken),
      [device, device],
    );
    assert.deepEqual(
      apnsSandbox.received.map((r) => r.deviceToken),
      [devDevice, devDevice],
    );
    const push = apns.received[0]!;
    assert.equal(push.kid, apnsKey.keyId);
    assert.equal(push.claims.iss, apnsKey.teamId);
    assert.equal(push.headers['apns-topic'], apnsKey.bundleId);
    assert.equal(push.headers['apns-push-type'], 'alert');
    assert.equal(push.headers['apns-priority'], '10');
    const expiration = Number(push.headers['apns-expiration']);
    assert.ok(expiration >= before + 120 && expiration <= before + 130, `apns-expiration ${expiration}`);
    assert.deepEqual(push.payload, {
      type: 'push',
      app: app.appId,
      from: 'native-sender',
      body: 'Ring ring',
      property: 'p',
      aps: { alert: { body: 'Ring ring' }, sound: 'default' },
    });
    // One provider token, kept for the next pushes (Apple throttles tokens renewed too often).
    const tokens = new Set([...apns.received, ...apnsSandbox.received].map((r) => r.headers.authorization));
    assert.equal(tokens.size, 1);
  });

  it('device tokens the providers call expired or invalid are removed; a busy provider keeps the device', async () => {
    await register('stale-user', { platform: 'fcm', token: FCM_TOKEN('gone') });
    await register('stale-user', { platform: 'fcm', token: FCM_TOKEN('invalid') });
    await register('stale-user', { platform: 'fcm', token: FCM_TOKEN('busy') });
    await register('stale-user', { platform: 'apns', token: APNS_TOKEN('dead') });
    await register('stale-user', { platform: 'apns', token: APNS_TOKEN('bad0') });
    assert.equal((await stored('stale-user')).length, 5);

    const answer = await send(['stale-user'], 'anyone?');
    // Nothing accepted it: an error from the table, saying what became of the pushes.
    assert.equal(answer.error.code, -20000);
    assert.match(answer.error.description, /1 failed, 4 devices gone/);
    assert.deepEqual(await stored('stale-user'), [`fcm fcm:${FCM_TOKEN('busy')}`]);
    assert.deepEqual(apns.refused.map((r) => `${r.status} ${r.reason}`).sort(), [
      '400 BadDeviceToken',
      '410 Unregistered',
    ]);
  });

  it('answers 0 when one provider accepted while another failed, and -50001 when nobody has a device', async () => {
    await register('mixed-user', { platform: 'fcm', token: FCM_TOKEN('busy') });
    await register('mixed-user', { platform: 'apns', token: APNS_TOKEN('ee') });
    assert.deepEqual((await send(['mixed-user'], 'one of two')).result, { result: 0 });
    assert.equal(apns.received.at(-1)!.payload.body, 'one of two');

    const nobody = await send(['no-devices-here'], 'hello?');
    assert.equal(nobody.error.code, -50001);
  });

  it('a message to a user with no messaging connection reaches the phone', async () => {
    await register('offline-phone-user', { platform: 'fcm', token: FCM_TOKEN('offline') });
    const sent = await sender.request({
      t: 'msg.send',
      cid: 'c-native-1',
      to: ['offline-phone-user'],
      body: 'while away',
    });
    assert.ok(sent.result?.msg_id, JSON.stringify(sent));
    const { waitFor } = await import('../helpers/wait.js');
    await waitFor(() => fcm.received.some((r) => r.message.token === FCM_TOKEN('offline')), { what: 'the FCM push' });
    const data = fcm.received.find((r) => r.message.token === FCM_TOKEN('offline'))!.message.data;
    assert.equal(data.type, 'message');
    assert.equal(data.body, 'while away');
    assert.equal(data.msg_id, sent.result.msg_id);
  });
  it('refuses to connect to a provider endpoint on a loopback address unless allowed: the push fails, nothing reaches the stand-ins', async () => {
    const strict = await startTestServer({
      ...relaxedLimits,
      messaging: {
        push: {
          ca: fcm.ca,
          native: { fcmTokenUri: fcm.tokenUri, fcmBaseUrl: fcm.baseUrl, apnsUrl: apns.url, apnsSandboxUrl: apns.url },
        },
      },
    });
    try {
      const strictApp = await strict.createApp(['localhost']);
      const settings = new NativePushSettings(strict.store.pushCredentials);
      await settings.setFcm(strictApp.appId, account.text);
      await settings.setApns(strictApp.appId, apnsKey);
      const web = strictApp.token('web', 'production');
      const session = await sessionTokenFor(strict.url, web, 'strict-user');
      const auth = { appToken: strictApp.token('native', 'production'), session };
      await deviceRequest(strict.url, auth, { platform: 'fcm', token: FCM_TOKEN('strict') });
      await deviceRequest(strict.url, auth, { platform: 'apns', token: APNS_TOKEN('5c') });
      const before = { assertions: fcm.assertions.length, fcm: fcm.received.length, apns: apns.received.length };
      const peer = await Peer.connect(strict.url, web, 'strict-sender', {});
      try {
        const answer = await peer.request({ t: 'push.send', to: ['strict-user'], body: 'to loopback?' });
        assert.match(answer.error.description, /^No push service accepted the push \(2 failed/);
      } finally {
        await peer.close();
      }
      assert.deepEqual(
        { assertions: fcm.assertions.length, fcm: fcm.received.length, apns: apns.received.length },
        before,
      );
      assert.equal((await strict.store.push.forUsers(strictApp.appId, ['strict-user'])).length, 2);
    } finally {
      await strict.stop();
    }
  });
});
