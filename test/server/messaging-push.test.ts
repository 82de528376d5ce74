import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OoVooClient } from '../../src/sdk/client.js';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';
import { connectNodeClient, installNodeWebSocket } from '../helpers/node-sdk.js';
import { PushServiceStandIn, type StandInSubscription } from '../helpers/push-service-stand-in.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

describe('Web Push', () => {
  let server: TestServer;
  let app: TestApp;
  let pushService: PushServiceStandIn;
  let token: string;
  const peers: Peer[] = [];
  const clients: OoVooClient[] = [];

  before(async () => {
    installNodeWebSocket('http://localhost');
    pushService = await PushServiceStandIn.start();
    // The stand-in on loopback is a push service only because this test says so.
    server = await startTestServer({
      ...relaxedLimits,
      messaging: {
        push: {
          allowedHosts: [`127.0.0.1:${pushService.port}`],
          allowPrivateAddresses: true,
          ca: pushService.ca,
          ttlSeconds: 120,
        },
      },
    });
    app = await server.createApp(['localhost', '127.0.0.1']);
    token = app.token('web', 'production');
  });

  after(async () => {
    for (const client of clients) client.disconnect();
    await Promise.all(peers.map((p) => p.close()));
    await server?.stop();
    await pushService?.close();
  });

  async function peer(uid: string, messaging = true): Promise<Peer> {
    const p = await Peer.connect(server.url, token, uid, { messaging });
    peers.push(p);
    return p;
  }

  async function register(p: Peer, sub: StandInSubscription): Promise<void> {
    const answer = await p.request({
      t: 'push.register',
      subscription: { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys },
    });
    assert.deepEqual(answer.result, { result: 0 }, JSON.stringify(answer));
  }

  it('keeps its VAPID keys in the data folder, readable only by the server', async () => {
    const file = join(server.dataDir, 'vapid.json');
    const keys = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(statSync(file).mode & 0o077, 0);
    const p = await peer('key-reader');
    const answer = await p.request({ t: 'push.key' });
    assert.equal(answer.result.publicKey, keys.publicKey);
  });

  it('Push.send reaches every subscription of the recipient: the payload decrypts to the body, with a TTL and VAPID', async () => {
    const receiver = await peer('push-receiver', false);
    const phone = pushService.subscription('receiver-phone');
    const laptop = pushService.subscription('receiver-laptop');
    await register(receiver, phone);
    await register(receiver, laptop);
    const sender = await peer('push-sender');
    const answer = await sender.request({
      t: 'push.send',
      to: ['push-receiver'],
      body: 'Wake up ☀',
      property: '{"room":"r1"}',
    });
    assert.deepEqual(answer.result, { result: 0 });

    await waitFor(() => pushService.received.filter((r) => r.path.includes('receiver-')).length === 2, {
      what: 'two pushes',
    });
    const pushes = pushService.received.filter((r) => r.path.includes('receiver-'));
    const publicKey = (await sender.request({ t: 'push.key' })).result.publicKey as string;
    for (const push of pushes) {
      assert.deepEqual(push.payload, {
        type: 'push',
        app: app.appId,
        from: 'push-sender',
        body: 'Wake up ☀',
        property: '{"room":"r1"}',
      });
      assert.equal(push.headers.ttl, '120');
      assert.equal(push.headers['content-encoding'], 'aes128gcm');
      assert.match(
        String(push.headers.authorization),
        new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${publicKey}$`),
      );
    }
    assert.deepEqual(pushes.map((p) => p.path).sort(), ['/push/receiver-laptop', '/push/receiver-phone']);
  });

  it('a subscription answered 410 is deleted', async () => {
    const receiver = await peer('gone-user', false);
    const gone = pushService.subscription('old-browser', { gone: true });
    await register(receiver, gone);
    assert.equal((await server.store.push.forUsers(app.appId, ['gone-user'])).length, 1);
    const sender = await peer('gone-sender');
    const answer = await sender.request({ t: 'push.send', to: ['gone-user'], body: 'anyone there?' });
    // No push service took it: Push.send answers an error from the table, not success.
    assert.equal(answer.error.code, -20000);
    assert.match(answer.error.description, /1 devices gone/);
    assert.equal((await server.store.push.forUsers(app.appId, ['gone-user'])).length, 0);
  });

  it('a message to a user with no messaging connection is also pushed; one with a connection is not', async () => {
    const away = await peer('away-user', false);
    await register(away, pushService.subscription('away-browser'));
    const here = await peer('here-user');
    await register(here, pushService.subscription('here-browser'));
    const sender = await peer('msg-sender');
    const pushesCounted = async () =>
      (await server.store.messages.usage(app.appId)).reduce((sum, day) => sum + day.pushes, 0);
    const countedBefore = await pushesCounted();
    const answer = await sender.request({ t: 'msg.send', to: ['away-user', 'here-user'], body: 'see you' });
    assert.deepEqual(answer.result.offline, ['away-user']);
    assert.deepEqual(answer.result.delivered, ['here-user']);
    await waitFor(() => pushService.received.some((r) => r.path === '/push/away-browser'), {
      what: 'the offline push',
    });
    const push = pushService.received.find((r) => r.path === '/push/away-browser')!;
    assert.deepEqual(push.payload, {
      type: 'message',
      app: app.appId,
      from: 'msg-sender',
      body: 'see you',
      msg_id: answer.result.msg_id,
    });
    // A message's pushes are counted once every one of them is answered: one to here-user would have come by then.
    await waitFor(pushesCounted, (counted) => counted > countedBefore, { what: "the message's pushes counted" });
    assert.equal(pushService.received.filter((r) => r.path === '/push/here-browser').length, 0);
  });

  it('refuses subscriptions that are not https or whose keys are malformed', async () => {
    const p = await peer('bad-subscriber');
    const good = pushService.subscription('bad-subscriber');
    const cases: Array<[string, Record<string, unknown>]> = [
      ['http endpoint', { endpoint: good.endpoint.replace('https:', 'http:'), keys: good.keys }],
      ['not a URL', { endpoint: 'not a url', keys: good.keys }],
      ['short p256dh', { endpoint: good.endpoint, keys: { p256dh: 'AAAA', auth: good.keys.auth } }],
      ['short auth', { endpoint: good.endpoint, keys: { p256dh: good.keys.p256dh, auth: 'AAAA' } }],
      ['unknown field', { endpoint: good.endpoint, keys: good.keys, extra: 1 }],
    ];
    for (const [name, subscription] of cases) {
      const answer = await p.request({ t: 'push.register', subscription });
      assert.equal(answer.error?.code, -40000, name);
    }
    assert.equal((await server.store.push.forUsers(app.appId, ['bad-subscriber'])).length, 0);
  });

  it('the SDK registers a service worker subscription and sends with ooVooClient.Push', async () => {
    const sub = pushService.subscription('sdk-browser');
    let askedKey: Uint8Array | undefined;
    const registration = {
      pushManager: {
        getSubscription: async () => null,
        subscribe: async (options: { applicationServerKey: Uint8Array }) => {
          askedKey = options.applicationServerKey;
          return {
            toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
          } as unknown as PushSubscription;
        },
      },
    };
    const receiver = await connectNodeClient(
      server.url,
      'sdk-receiver',
      await sessionTokenFor(server.url, token, 'sdk-receiver'),
    );
    clients.push(receiver);
    assert.deepEqual(await receiver.Push.register(registration as never), { result: 0 });
    const publicKey = JSON.parse(readFileSync(join(server.dataDir, 'vapid.json'), 'utf8')).publicKey as string;
    assert.equal(Buffer.from(askedKey!).toString('base64url'), publicKey);

    const sender = await connectNodeClient(
      server.url,
      'sdk-sender',
      await sessionTokenFor(server.url, token, 'sdk-sender'),
    );
    clients.push(sender);
    const result = await new Promise((resolve) =>
      sender.Push.send({ to: ['sdk-receiver'], body: 'from the SDK' }, resolve),
    );
    assert.deepEqual(result, { result: 0 });
    await waitFor(() => pushService.received.some((r) => r.path === '/push/sdk-browser'), { what: 'the SDK push' });
    assert.equal(pushService.received.find((r) => r.path === '/push/sdk-browser')!.payload.body, 'from the SDK');

    const tooBig = await new Promise<any>((resolve) =>
      sender.Push.send({ to: ['sdk-receiver'], body: 'x'.repeat(1000), property: 'y'.repeat(100) }, resolve),
    );
    assert.equal(tooBig.error.code, -40000);
  });

  it('counts pushes per app and day', async () => {
    const [today] = await server.store.messages.usage(app.appId);
    assert.ok(today);
    assert.ok(today.pushes >= 4, JSON.stringify(today));
  });
});
