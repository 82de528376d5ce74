import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { openStore } from '../../src/server/store/open-store.js';
import { makeApnsKey, makeServiceAccount } from '../helpers/native-push-stand-ins.js';
import { CapturingMailer, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';

/** The CLI's output as text, for matching. */
async function cli(...argv: string[]) {
  const { code, out, err } = await runCli(...argv);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('native push settings from the CLI', () => {
  const account = makeServiceAccount('cli-project');
  const apns = makeApnsKey();
  let dir: string;
  let appId: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oovoo-push-cli-'));
    writeFileSync(join(dir, 'service-account.json'), account.text);
    writeFileSync(join(dir, 'AuthKey.p8'), apns.key);
    writeFileSync(join(dir, 'not-a-key.p8'), 'hello');
    const created = await cli('app', 'create', '--name', 'Phones', '--domain', 'localhost', '--data', dir, '--json');
    appId = JSON.parse(created.out).appId;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** `push apns set` with the test key, each flag replaceable. */
  const apnsSet = (flags: Record<string, string> = {}) => {
    const all = {
      app: appId,
      key: join(dir, 'AuthKey.p8'),
      'key-id': apns.keyId,
      'team-id': apns.teamId,
      'bundle-id': apns.bundleId,
      data: dir,
      ...flags,
    };
    return cli('push', 'apns', 'set', ...Object.entries(all).flatMap(([k, v]) => [`--${k}`, v]));
  };
  /** `push fcm set` with a service-account file (a name in the folder). */
  const fcmSet = (file: string, ...extra: string[]) =>
    cli('push', 'fcm', 'set', '--app', appId, '--service-account', join(dir, file), '--data', dir, ...extra);

  const stored = async () => {
    const store = await openStore(dir, undefined);
    try {
      return (await store.pushCredentials.list(appId)).map((r) => ({
        provider: r.provider,
        config: JSON.parse(r.config),
      }));
    } finally {
      await store.close();
    }
  };

  it('sets FCM and APNs into the store and prints what is set, never a private key; clear removes each', async () => {
    const fcm = await fcmSet('service-account.json', '--json');
    assert.equal(fcm.code, 0, fcm.err);
    assert.equal(JSON.parse(fcm.out).push.fcm.projectId, 'cli-project');
    const apnsDone = await apnsSet();
    assert.equal(apnsDone.code, 0, apnsDone.err);
    assert.match(apnsDone.out, new RegExp(`APNs: key ${apns.keyId}, team ${apns.teamId}, topic ${apns.bundleId}`));
    for (const printed of [fcm.out, apnsDone.out, fcm.err, apnsDone.err]) {
      assert.doesNotMatch(printed, /PRIVATE KEY/);
      assert.ok(!printed.includes(account.json.private_key_id));
    }
    const rows = await stored();
    assert.deepEqual(
      rows.map((r) => r.provider),
      ['apns', 'fcm'],
    );
    assert.equal(rows[1]!.config.privateKey, account.json.private_key);
    assert.equal(rows[0]!.config.key, apns.key);

    const shown = await cli('push', 'show', '--app', appId, '--data', dir, '--json');
    assert.deepEqual(Object.keys(JSON.parse(shown.out).push.apns).sort(), ['bundleId', 'keyId', 'teamId', 'updatedAt']);

    assert.equal((await cli('push', 'fcm', 'clear', '--app', appId, '--data', dir)).code, 0);
    assert.deepEqual(
      (await stored()).map((r) => r.provider),
      ['apns'],
    );
    const cleared = await cli('push', 'apns', 'clear', '--app', appId, '--data', dir, '--json');
    assert.deepEqual(JSON.parse(cleared.out).push, { fcm: null, apns: null });
    assert.deepEqual(await stored(), []);
  });

  it('refuses a bad key, bad ids, a missing file or flag and an unknown app: nothing stored', async () => {
    const bad = await apnsSet({ key: join(dir, 'not-a-key.p8') });
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^error -40000 /);
    const badId = await apnsSet({ 'key-id': 'short' });
    assert.match(badId.err, /^error -40000 .*keyId/);
    const notAccount = await fcmSet('AuthKey.p8');
    assert.match(notAccount.err, /^error -40000 /);
    const noFile = await fcmSet('missing.json');
    assert.equal(noFile.code, 2);
    assert.equal((await cli('push', 'fcm', 'set', '--app', appId, '--data', dir)).code, 2);
    const noApp = await cli(
      'push',
      'fcm',
      'set',
      '--app',
      'NOSUCHAPP',
      '--service-account',
      join(dir, 'service-account.json'),
      '--data',
      dir,
    );
    assert.match(noApp.err, /^error -50001 /);
    assert.deepEqual(await stored(), []);
  });
});

describe('native push settings in the portal (/api/v1/apps/:appId/push)', () => {
  let server: TestServer;
  const mailer = new CapturingMailer();
  const account = makeServiceAccount('portal-project');
  const apns = makeApnsKey();

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, portal: { mailer } });
  });
  after(async () => {
    await server?.stop();
  });

  it('sets and clears FCM and APNs for an owned app; answers never carry a private key', async () => {
    const dev = await verifiedDeveloper(server.url, mailer, 'push-dev@example.com');
    const appId = (await dev.request('POST', '/apps', { name: 'Phone app' })).body.app.id as string;
    assert.deepEqual((await dev.request('GET', `/apps/${appId}/push`)).body, { push: { fcm: null, apns: null } });

    const fcm = await dev.request('PUT', `/apps/${appId}/push/fcm`, { serviceAccount: account.text });
    assert.equal(fcm.status, 200);
    assert.equal(fcm.body.push.fcm.projectId, 'portal-project');
    assert.equal(fcm.body.push.fcm.clientEmail, account.json.client_email);
    const set = await dev.request('PUT', `/apps/${appId}/push/apns`, {
      key: apns.key,
      keyId: apns.keyId,
      teamId: apns.teamId,
      bundleId: apns.bundleId,
    });
    assert.equal(set.status, 200);
    assert.equal(set.body.push.apns.bundleId, apns.bundleId);
    const shown = await dev.request('GET', `/apps/${appId}/push`);
    for (const answer of [fcm, set, shown]) assert.doesNotMatch(JSON.stringify(answer.body), /PRIVATE KEY|private_key/);
    assert.equal((await server.store.pushCredentials.list(appId)).length, 2);

    const cleared = await dev.request('DELETE', `/apps/${appId}/push/fcm`);
    assert.equal(cleared.body.push.fcm, null);
    assert.equal(cleared.body.push.apns.keyId, apns.keyId);
    await dev.request('DELETE', `/apps/${appId}/push/apns`);
    assert.deepEqual(await server.store.pushCredentials.list(appId), []);
  });

  it("refuses bad bodies with -40000 and another developer's app with 404: nothing stored", async () => {
    const owner = await verifiedDeveloper(server.url, mailer, 'push-owner@example.com');
    const appId = (await owner.request('POST', '/apps', { name: 'Owned' })).body.app.id as string;
    const bad: Array<[string, unknown]> = [
      ['fcm', { serviceAccount: '{ not json' }],
      ['fcm', { serviceAccount: JSON.stringify({ ...account.json, private_key: 'nope' }) }],
      ['fcm', { serviceAccount: JSON.stringify({ ...account.json, project_id: 'Bad Project' }) }],
      ['fcm', { serviceAccount: account.text, extra: 1 }],
      ['fcm', {}],
      ['apns', { key: apns.key, keyId: apns.keyId, teamId: apns.teamId }],
      ['apns', { key: account.json.private_key, keyId: apns.keyId, teamId: apns.teamId, bundleId: apns.bundleId }],
      ['apns', { key: apns.key, keyId: apns.keyId, teamId: 'team', bundleId: apns.bundleId }],
      ['apns', { key: apns.key, keyId: apns.keyId, teamId: apns.teamId, bundleId: 'bad bundle id' }],
    ];
    for (const [provider, body] of bad) {
      const answer = await owner.request('PUT', `/apps/${appId}/push/${provider}`, body);
      assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(answer.body.error.code, -40000);
    }
    const stranger = await verifiedDeveloper(server.url, mailer, 'push-stranger@example.com');
    const theirs = await stranger.request('PUT', `/apps/${appId}/push/fcm`, { serviceAccount: account.text });
    assert.equal(theirs.status, 404);
    assert.equal(theirs.body.error.code, -50001);
    assert.equal((await stranger.request('GET', `/apps/${appId}/push`)).status, 404);
    assert.deepEqual(await server.store.pushCredentials.list(appId), []);
  });
});
