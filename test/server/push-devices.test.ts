import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deviceRequest } from '../helpers/native-push-stand-ins.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';

const FCM = `dGVzdA:APA91bH${'y'.repeat(60)}`;
const APNS = 'f'.repeat(64);

describe('POST/DELETE /1.0/push/devices: a native app registers a phone for its user', () => {
  let server: TestServer;
  let app: TestApp;
  let other: TestApp;
  let session: string;
  let native: string;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, messaging: { push: { maxSubscriptionsPerUser: 3 } } });
    app = await server.createApp(['localhost']);
    other = await server.createApp(['localhost'], { name: 'Other app' });
    native = app.token('native', 'production');
    session = await sessionTokenFor(server.url, app.token('web', 'production'), 'phone-owner');
  });
  after(async () => {
    await server?.stop();
  });

  const stored = async (uid: string) =>
    (await server.store.push.forUsers(app.appId, [uid])).map((s) => `${s.kind} ${s.endpoint}`);

  it('stores an FCM token and an APNs token (sandbox when asked, else the app token environment) for the session user; DELETE withdraws one', async () => {
    const auth = { appToken: native, session };
    assert.deepEqual(await deviceRequest(server.url, auth, { platform: 'fcm', token: FCM }), {
      status: 200,
      body: { result: 0 },
    });
    assert.equal((await deviceRequest(server.url, auth, { platform: 'apns', token: APNS })).status, 200);
    const dev = { platform: 'apns', token: 'e'.repeat(64), environment: 'sandbox' };
    assert.equal((await deviceRequest(server.url, auth, dev)).status, 200);
    assert.deepEqual((await stored('phone-owner')).sort(), [
      `apns apns:production:${APNS}`,
      `apns apns:sandbox:${'e'.repeat(64)}`,
      `fcm fcm:${FCM}`,
    ]);
    assert.deepEqual(await deviceRequest(server.url, auth, dev, 'DELETE'), { status: 200, body: { result: 0 } });
    assert.equal((await stored('phone-owner')).length, 2);
  });

  it('keeps at most maxSubscriptionsPerUser per user, evicting the oldest', async () => {
    const owner = await sessionTokenFor(server.url, app.token('web', 'production'), 'many-phones');
    for (let i = 0; i < 5; i++) {
      const token = `${i}${'a'.repeat(63)}`;
      assert.equal(
        (await deviceRequest(server.url, { appToken: native, session: owner }, { platform: 'apns', token })).status,
        200,
      );
    }
    assert.deepEqual(
      (await stored('many-phones')).sort(),
      [2, 3, 4].map((i) => `apns apns:production:${i}${'a'.repeat(63)}`),
    );
  });

  it('refuses a web app token, a missing or unknown one, a wrong or missing session, or one of another environment: nothing stored', async () => {
    const body = { platform: 'fcm', token: `${FCM}refused` };
    const sandboxSession = await sessionTokenFor(server.url, app.token('web', 'sandbox'), 'refused-user');
    const otherSession = await sessionTokenFor(server.url, other.token('web', 'production'), 'refused-user');
    const cases: Array<[string, { appToken?: string; session?: string }, number, number]> = [
      ['web app token', { appToken: app.token('web', 'production'), session }, 403, -35001],
      ['no app token', { session }, 401, -30000],
      ['unknown app token', { appToken: 'ovt1.xxxxxxxxxxxxxxxx.' + 'y'.repeat(43), session }, 401, -30000],
      ['no session', { appToken: native }, 401, -30001],
      ['forged session', { appToken: native, session: `${session.slice(0, -4)}AAAA` }, 401, -30001],
      ["another app's session", { appToken: native, session: otherSession }, 401, -30001],
      ['sandbox session, production token', { appToken: native, session: sandboxSession }, 403, -30005],
    ];
    for (const [what, auth, status, code] of cases) {
      const answer = await deviceRequest(server.url, auth, body);
      assert.equal(answer.status, status, what);
      assert.equal(answer.body.error.code, code, what);
    }
    assert.deepEqual(await stored('refused-user'), []);
    assert.deepEqual(await stored('phone-owner').then((s) => s.filter((e) => e.includes('refused'))), []);
  });

  it('refuses bad bodies with -40000: nothing stored', async () => {
    const owner = await sessionTokenFor(server.url, app.token('web', 'production'), 'bad-bodies');
    const auth = { appToken: native, session: owner };
    const bodies: unknown[] = [
      'not json {',
      '',
      [],
      {},
      { platform: 'web', token: FCM },
      { platform: 'fcm' },
      { platform: 'fcm', token: 'short' },
      { platform: 'fcm', token: `${FCM} with spaces` },
      { platform: 'fcm', token: FCM, environment: 'sandbox' },
      { platform: 'apns', token: 'z'.repeat(64) },
      { platform: 'apns', token: 'a'.repeat(63) },
      { platform: 'apns', token: APNS, environment: 'staging' },
      { platform: 'fcm', token: FCM, endpoint: 'https://fcm.googleapis.com/fcm/send/x' },
      { platform: 'fcm', token: 'x'.repeat(2001) },
    ];
    for (const body of bodies) {
      const answer = await deviceRequest(server.url, auth, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.code, -40000, JSON.stringify(body));
    }
    assert.deepEqual(await stored('bad-bodies'), []);
  });

  it('the socket frame push.register stays for browsers: a native token there is refused with -40000', async () => {
    const peer = await Peer.connect(server.url, app.token('web', 'production'), 'socket-native', {});
    try {
      const answer = await peer.request({
        t: 'push.register',
        subscription: { endpoint: `fcm:${FCM}`, expirationTime: null, keys: { p256dh: 'AAAA', auth: 'AAAA' } },
      });
      assert.equal(answer.error.code, -40000);
    } finally {
      await peer.close();
    }
    assert.deepEqual(await stored('socket-native'), []);
  });
});
