import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AppService } from '../../src/server/apps.js';
import { loadSessionSecret, sharedSessionSecret } from '../../src/server/secrets.js';
import { relaxedLimits, s2sLogin, sessionTokenFor, startTestServer, verifySession } from '../helpers/server.js';
import { STORE_ENGINES } from '../helpers/store-engines.js';

const BODY = `{ "payload": { "user_id":'foofoo'} }`;

for (const engine of STORE_ENGINES)
  describe(`store (${engine.name})`, () => {
    it('keeps apps and tokens when the same folder is opened again (migrations run again harmlessly)', async () => {
      const place = await engine.place();
      const first = await place.open();
      const { app, tokens } = await new AppService(first).create({
        name: 'Kept',
        domains: ['localhost', 'example.com:8443'],
        clientLogin: 'sandbox',
      });
      await new AppService(first).revokeToken(app.id, tokens[0]!.token);
      await first.close();

      const second = await place.open();
      const apps = new AppService(second);
      const reopened = await apps.get(app.id);
      const listed = await apps.listTokens(app.id);
      const authenticated = await apps.authenticate(tokens[1]!.token);
      const revoked = apps.authenticate(tokens[0]!.token);
      await assert.rejects(revoked, (e: any) => e.code === -30000);
      await second.close();
      const third = await place.open();
      const countAfterThird = await third.apps.count();
      await third.close();

      assert.deepEqual(reopened, app);
      assert.equal(listed.length, 4);
      assert.deepEqual(
        listed.map((t) => t.revokedAt !== null),
        listed.map((t) => t.id === tokens[0]!.id),
      );
      assert.equal(authenticated.app.id, app.id);
      assert.equal(countAfterThird, 1);
    });

    it('keeps settings and answers putIfAbsent with the first value', async () => {
      const place = await engine.place();
      const first = await place.open();
      const stored = await first.settings.putIfAbsent('k', 'one');
      const again = await first.settings.putIfAbsent('k', 'two');
      await first.close();
      const second = await place.open();
      const reopened = await second.settings.get('k');
      const missing = await second.settings.get('nope');
      await second.close();

      assert.equal(stored, 'one');
      assert.equal(again, 'one');
      assert.equal(reopened, 'one');
      assert.equal(missing, undefined);
    });

    it('stores only a SHA-256 of each token, never the token or its secret part', async () => {
      const place = await engine.place();
      const store = await place.open();
      const { tokens } = await new AppService(store).create({ name: 'Hashed', domains: ['localhost'] });
      await store.close();

      const tables = (await place.query(
        engine.name === 'sqlite'
          ? "SELECT name FROM sqlite_master WHERE type = 'table'"
          : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
      )) as Array<{ name: string }>;
      const rows = await Promise.all(tables.map(({ name }) => place.query(`SELECT * FROM "${name}"`)));
      const everything = JSON.stringify(rows);
      const hashes = (await place.query('SELECT id, hash FROM app_tokens')) as Array<{ id: string; hash: string }>;
      // SQLite's files themselves, WAL included, hold no secret either (PostgreSQL's are the server's own).
      const files = readdirSync(place.dataDir)
        .filter((f) => f.startsWith('oovoo.sqlite'))
        .map((f) => readFileSync(join(place.dataDir, f)));
      assert.equal(files.length > 0, engine.name === 'sqlite');

      assert.ok(tables.some((t) => t.name === 'app_tokens'));
      assert.equal(hashes.length, 4);
      for (const t of tokens) {
        const secretPart = t.token.split('.')[2]!;
        assert.ok(!everything.includes(t.token), 'token text stored');
        assert.ok(!everything.includes(secretPart), 'token secret stored');
        for (const file of files) assert.equal(file.indexOf(secretPart), -1, 'token secret in a database file');
        const row = hashes.find((h) => h.id === t.id);
        assert.equal(row?.hash, createHash('sha256').update(t.token).digest('hex'));
      }
    });

    it('a server restarted on the same folder accepts the app tokens and session tokens of before', async () => {
      const place = await engine.place();
      const first = await startTestServer({ ...relaxedLimits, ...place.serverOptions() });
      const app = await first.createApp(['localhost']);
      const session = await sessionTokenFor(first.url, app.token('web', 'production'), 'alice');
      await first.stop();

      const second = await startTestServer({ ...relaxedLimits, ...place.serverOptions() });
      try {
        const login = await s2sLogin(second.url, app.token('web', 'production'), BODY, { origin: 'localhost' });
        const verified = await verifySession(second.url, { token: session, userId: 'alice' });

        assert.equal(login.status, 200);
        assert.equal(verified.status, 200);
      } finally {
        await second.stop();
      }
    });

    it('refuses an app token whose record was tampered with (hash mismatch)', async () => {
      const place = await engine.place();
      const store = await place.open();
      const { tokens } = await new AppService(store).create({ name: 'Tampered', domains: ['localhost'] });
      await store.close();
      await place.query('UPDATE app_tokens SET hash = ? WHERE id = ?', ['0'.repeat(64), tokens[0]!.id]);

      const reopened = await place.open();
      try {
        await assert.rejects(new AppService(reopened).authenticate(tokens[0]!.token), (e: any) => e.code === -30000);
        assert.equal((await new AppService(reopened).authenticate(tokens[1]!.token)).token.id, tokens[1]!.id);
      } finally {
        await reopened.close();
      }
    });
  });

describe('session secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-secret-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once with mode 0600 and read back the same', () => {
    const first = loadSessionSecret(dir, undefined);
    const second = loadSessionSecret(dir, undefined);

    assert.equal(first.length, 32);
    assert.deepEqual(second, first);
    assert.ok(existsSync(join(dir, 'session-secret')));
    assert.equal(statSync(join(dir, 'session-secret')).mode & 0o777, 0o600);
  });

  it('comes from OOVOO_SESSION_SECRET (hex or base64) when set, and must hold 32 bytes', () => {
    const bytes = Buffer.alloc(32, 7);

    assert.deepEqual(loadSessionSecret(dir, bytes.toString('hex')), bytes);
    assert.deepEqual(loadSessionSecret(dir, bytes.toString('base64')), bytes);
    assert.throws(() => loadSessionSecret(dir, Buffer.alloc(31).toString('base64')), /at least 32 bytes/);
  });

  it('with a PostgreSQL store comes only from OOVOO_SESSION_SECRET: without it, a clear error', () => {
    const bytes = Buffer.alloc(32, 9);

    assert.deepEqual(sharedSessionSecret(bytes.toString('base64')), bytes);
    assert.throws(() => sharedSessionSecret(''), /OOVOO_SESSION_SECRET is required with a PostgreSQL store/);
    assert.throws(() => sharedSessionSecret(Buffer.alloc(16).toString('hex')), /at least 32 bytes/);
  });
});
