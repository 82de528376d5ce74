import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/server/cli.js';
import { CapturingMailer, PortalClient, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, s2sLogin, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'correct horse battery';

describe('developer portal API (/api/v1)', () => {
  let server: TestServer;
  const mailer = new CapturingMailer();

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, portal: { mailer } });
  });
  after(async () => {
    await server.stop();
  });

  describe('accounts', () => {
    it('signs up with an httpOnly SameSite=Strict session cookie and mails a verification link', async () => {
      const client = new PortalClient(server.url);
      const res = await client.signUp('Ada@Example.com', PASSWORD);
      assert.equal(res.status, 201);
      assert.deepEqual(
        { ...res.body.account, id: undefined },
        { id: undefined, email: 'ada@example.com', role: 'developer', verified: false },
      );
      assert.equal(typeof res.body.csrfToken, 'string');
      const cookie = res.headers.get('set-cookie')!;
      assert.match(cookie, /^oovoo_portal=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=604800$/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const link = mailer.linkFor('ada@example.com');
      assert.match(link, new RegExp(`^${server.url}/api/v1/verify\\?token=[\\w-]{43}$`));

      // Unverified: no apps yet.
      const refused = await client.request('POST', '/apps', { name: 'Too early' });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, -35001);
      assert.equal(
        (await server.apps.list()).some((a) => a.name === 'Too early'),
        false,
      );

      const verified = await client.verify(link);
      assert.equal(verified.status, 200);
      assert.equal(verified.body.account.verified, true);
      const session = await client.request('GET', '/session');
      assert.equal(session.body.account.verified, true);
      assert.equal(session.body.csrfToken, res.body.csrfToken);

      const again = await client.verify(link);
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, -60401);
    });

    it('sends a browser that follows the link back to the portal', async () => {
      const client = new PortalClient(server.url);
      await client.signUp('browser-link@example.com', PASSWORD);
      const link = mailer.linkFor('browser-link@example.com');
      const ok = await fetch(link, { headers: { accept: 'text/html' }, redirect: 'manual' });
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.get('location'), '/portal?verified=1');
      const used = await fetch(link, { headers: { accept: 'text/html' }, redirect: 'manual' });
      assert.equal(used.headers.get('location'), '/portal?verified=0');
    });

    it('resends the verification mail, and the new link works', async () => {
      const client = new PortalClient(server.url);
      await client.signUp('resend@example.com', PASSWORD);
      const first = mailer.linkFor('resend@example.com');
      const res = await client.request('POST', '/account/verification');
      assert.equal(res.status, 202);
      const second = mailer.linkFor('resend@example.com');
      assert.notEqual(second, first);
      assert.equal((await client.verify(second)).status, 200);
      const done = await client.request('POST', '/account/verification');
      assert.equal(done.status, 400);
    });

    it('refuses a taken email with EmailNotAvailable, in any letter case', async () => {
      await new PortalClient(server.url).signUp('taken@example.com', PASSWORD);
      const res = await new PortalClient(server.url).signUp('TAKEN@example.com', 'another password');
      assert.equal(res.status, 409);
      assert.deepEqual(res.body.error.code, -60303);
    });

    it('signs in and out; a signed-out cookie no longer works', async () => {
      await new PortalClient(server.url).signUp('inout@example.com', PASSWORD);
      const client = new PortalClient(server.url);
      const wrong = await client.signIn('inout@example.com', 'not the password');
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.code, -30000);
      const unknown = await client.signIn('nobody@example.com', PASSWORD);
      assert.deepEqual(unknown.body, wrong.body, 'unknown email and wrong password answer alike');
      const ok = await client.signIn('inout@example.com', PASSWORD);
      assert.equal(ok.status, 200);
      assert.equal(ok.body.account.email, 'inout@example.com');
      const cookie = client.cookie;
      assert.equal((await client.request('DELETE', '/session')).status, 204);
      client.cookie = cookie;
      const after = await client.request('GET', '/session');
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, -30001);
    });
  });

  describe('apps', () => {
    let dev: PortalClient;
    before(async () => {
      dev = await verifiedDeveloper(server.url, mailer, 'apps@example.com');
    });

    it('creates an app with four tokens shown once, lists it, renames it, and deletes it', async () => {
      const created = await dev.request('POST', '/apps', {
        name: 'My app',
        domains: ['LocalHost', 'example.com:8443'],
      });
      assert.equal(created.status, 201);
      const app = created.body.app;
      assert.deepEqual(app.domains, ['localhost', 'example.com:8443']);
      assert.equal(created.body.tokens.length, 4);
      const web = created.body.tokens.find((t: any) => t.type === 'web' && t.environment === 'production');
      assert.equal(
        (await s2sLogin(server.url, web.token, '{"payload":{"user_id":"u1"}}', { origin: 'localhost' })).status,
        200,
      );

      const list = await dev.request('GET', '/apps');
      assert.deepEqual(
        list.body.apps.map((a: any) => a.id),
        [app.id],
      );
      const tokens = await dev.request('GET', `/apps/${app.id}/tokens`);
      assert.equal(tokens.body.tokens.length, 4);
      assert.ok(tokens.body.tokens.every((t: any) => !('token' in t) && !('hash' in t) && t.revokedAt === null));
      assert.ok(!JSON.stringify(tokens.body).includes(web.token), 'the token is never listed');

      const renamed = await dev.request('PATCH', `/apps/${app.id}`, { name: '  Renamed  ' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.body.app.name, 'Renamed');
      assert.equal((await server.apps.get(app.id)).name, 'Renamed');
      const policy = await dev.request('PATCH', `/apps/${app.id}`, { clientLogin: 'sandbox' });
      assert.equal(policy.body.app.clientLogin, 'sandbox');

      assert.equal((await dev.request('DELETE', `/apps/${app.id}`)).status, 204);
      assert.equal(await server.store.apps.get(app.id), undefined);
      assert.deepEqual(await server.store.tokens.listForApp(app.id), []);
      assert.equal((await dev.request('GET', `/apps/${app.id}`)).status, 404);
      const login = await s2sLogin(server.url, web.token, '{"payload":{"user_id":"u1"}}', { origin: 'localhost' });
      assert.equal(login.status, 401, 'tokens of a deleted app are gone');
    });

    it('adds and removes domains', async () => {
      const { body } = await dev.request('POST', '/apps', { name: 'Domains' });
      const id = body.app.id;
      assert.deepEqual(body.app.domains, []);
      const added = await dev.request('POST', `/apps/${id}/domains`, { domain: 'www.example.com' });
      assert.equal(added.status, 201);
      assert.deepEqual(added.body.app.domains, ['www.example.com']);
      await dev.request('POST', `/apps/${id}/domains`, { domain: 'localhost:8080' });
      const removed = await dev.request('DELETE', `/apps/${id}/domains/${encodeURIComponent('localhost:8080')}`);
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body.app.domains, ['www.example.com']);
      const missing = await dev.request('DELETE', `/apps/${id}/domains/other.example.com`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, -50001);
    });

    it('creates a token shown once and revokes it: new logins with it fail at once', async () => {
      const { body } = await dev.request('POST', '/apps', { name: 'Tokens', domains: ['localhost'] });
      const id = body.app.id;
      const created = await dev.request('POST', `/apps/${id}/tokens`, { type: 'web', environment: 'sandbox' });
      assert.equal(created.status, 201);
      const token = created.body.token;
      assert.deepEqual(Object.keys(token).sort(), ['environment', 'id', 'token', 'type']);
      const listed = await dev.request('GET', `/apps/${id}/tokens`);
      assert.equal(listed.body.tokens.length, 5);
      assert.ok(!JSON.stringify(listed.body).includes(token.token));

      const loginBody = '{"payload":{"user_id":"u1"}}';
      assert.equal((await s2sLogin(server.url, token.token, loginBody, { origin: 'localhost' })).status, 200);
      const direct = () =>
        fetch(`${server.url}/1.0/sso/app/login/direct`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:5000' },
          body: JSON.stringify({ token: token.token, userId: 'u1', isSandbox: true }),
        });
      assert.equal((await direct()).status, 200);

      assert.equal((await dev.request('DELETE', `/apps/${id}/tokens/${token.id}`)).status, 204);
      const s2s = await s2sLogin(server.url, token.token, loginBody, { origin: 'localhost' });
      assert.equal(s2s.status, 401);
      assert.equal(s2s.body.error.code, -30000);
      const refused = await direct();
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as any).error.code, -30000);
      const again = await dev.request('DELETE', `/apps/${id}/tokens/${token.id}`);
      assert.equal(again.status, 404);
      const state = (await dev.request('GET', `/apps/${id}/tokens`)).body.tokens.find((t: any) => t.id === token.id);
      assert.notEqual(state.revokedAt, null);
    });

    it('mints a test session token (a host’s on asking) for its own apps only; revoking the web token ends it', async () => {
      const { body } = await dev.request('POST', '/apps', { name: 'Hosts', domains: ['localhost'] });
      const id = body.app.id;
      const minted = await dev.request('POST', `/apps/${id}/sessions`, {
        userId: ' hostess ',
        role: 'host',
        environment: 'production',
      });
      assert.equal(minted.status, 201, JSON.stringify(minted.body));
      const { session } = minted.body;
      assert.deepEqual([session.userId, session.role, session.environment], ['hostess', 'host', 'production']);
      const claims = JSON.parse(Buffer.from(session.token.split('.')[1], 'base64url').toString('utf8'));
      assert.deepEqual(
        [claims.sub, claims.role, claims.env, claims.exp],
        ['hostess', 'host', 'production', session.expiresAt],
      );
      const verify = () =>
        fetch(`${server.url}/1.0/session/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:5000' },
          body: JSON.stringify({ token: session.token }),
        });
      assert.equal((await verify()).status, 200);

      const plain = await dev.request('POST', `/apps/${id}/sessions`, { userId: 'guest' });
      assert.deepEqual([plain.body.session.role, plain.body.session.environment], ['participant', 'sandbox']);
      for (const bad of [{ userId: 'x', role: 'admin' }, { userId: '' }, { userId: 'x', environment: 'staging' }]) {
        const res = await dev.request('POST', `/apps/${id}/sessions`, bad);
        assert.equal(res.status, 400, JSON.stringify(bad));
        assert.equal(res.body.error.code, -40000);
      }
      const noCsrf = await dev.request('POST', `/apps/${id}/sessions`, { userId: 'x' }, { csrf: null });
      assert.equal(noCsrf.status, 403);
      const other = await verifiedDeveloper(server.url, mailer, 'not-the-owner@example.com');
      assert.equal((await other.request('POST', `/apps/${id}/sessions`, { userId: 'x', role: 'host' })).status, 404);

      const webProduction = (await dev.request('GET', `/apps/${id}/tokens`)).body.tokens.find(
        (t: any) => t.type === 'web' && t.environment === 'production',
      );
      await dev.request('DELETE', `/apps/${id}/tokens/${webProduction.id}`);
      assert.equal((await verify()).status, 401, 'the session ends with the web token it was minted for');
      const none = await dev.request('POST', `/apps/${id}/sessions`, { userId: 'x', environment: 'production' });
      assert.equal(none.status, 400);
      assert.match(none.body.error.description, /no live production web token/);
    });
  });

  describe('usage', () => {
    it('reports exactly what the conference and messaging modules recorded, per UTC day, as JSON and CSV', async () => {
      const dev = await verifiedDeveloper(server.url, mailer, 'usage@example.com');
      const { body } = await dev.request('POST', '/apps', { name: 'Usage' });
      const id = body.app.id;
      const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
      await server.store.conferenceUsage.add(id, day(0), { participantMs: 90_000, conferences: 2, peak: 3 });
      await server.store.conferenceUsage.add(id, day(0), { participantMs: 30_000, peak: 2 });
      await server.store.conferenceUsage.add(id, day(5), { participantMs: 600_000, conferences: 1, peak: 4 });
      await server.store.conferenceUsage.add(id, day(20), { participantMs: 60_000, conferences: 1, peak: 2 });
      await server.store.conferenceUsage.add(id, day(95), { participantMs: 60_000, conferences: 7, peak: 9 });
      await server.store.messages.commit(
        [
          { kind: 'send', appId: id, sender: 'a', msgId: 'm1', to: ['b'], body: 'hi', createdAt: Date.now() },
          { kind: 'send', appId: id, sender: 'a', msgId: 'm2', to: ['b', 'c'], body: 'hi', createdAt: Date.now() },
        ],
        { inboxQuota: 1000 },
      );
      await server.store.messages.addPushes(id, 3, Date.now());

      const week = await dev.request('GET', `/apps/${id}/usage?days=7`);
      assert.equal(week.status, 200);
      assert.equal(week.body.days.length, 7);
      assert.equal(week.body.from, day(6));
      assert.equal(week.body.to, day(0));
      const today = week.body.days[6];
      assert.deepEqual(today, {
        day: day(0),
        participantMinutes: 2,
        conferences: 2,
        peakParticipants: 3,
        messagesSent: 2,
        messagesDelivered: 0,
        pushesSent: 3,
      });
      assert.equal(week.body.days[1].participantMinutes, 10);
      assert.deepEqual(week.body.totals, {
        participantMinutes: 12,
        conferences: 3,
        peakParticipants: 4,
        messagesSent: 2,
        messagesDelivered: 0,
        pushesSent: 3,
      });
      const month = await dev.request('GET', `/apps/${id}/usage?days=30`);
      assert.equal(month.body.days.length, 30);
      assert.equal(month.body.totals.conferences, 4, 'day 20 is inside 30 days');
      const quarter = await dev.request('GET', `/apps/${id}/usage?days=90`);
      assert.equal(quarter.body.totals.conferences, 4, 'day 95 is outside 90 days');

      const csv = await dev.request('GET', `/apps/${id}/usage.csv?days=7`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type')!, /^text\/csv/);
      assert.match(
        csv.headers.get('content-disposition')!,
        new RegExp(`attachment; filename="usage-${id}-${day(6)}-${day(0)}.csv"`),
      );
      const lines = (csv.body as string).trimEnd().split('\r\n');
      assert.equal(
        lines[0],
        'day,participant_minutes,conferences,peak_participants,messages_sent,messages_delivered,pushes_sent',
      );
      assert.equal(lines.length, 8);
      assert.equal(lines[7], `${day(0)},2,2,3,2,0,3`);
      assert.equal(lines[2], `${day(5)},10,1,4,0,0,0`);
    });
  });

  describe('operators', () => {
    let dataDir: string;
    let opServer: TestServer;
    const opMailer = new CapturingMailer();
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'oovoo-portal-op-'));
      const out: string[] = [];
      const code = await main(
        [
          'admin',
          'create',
          '--email',
          'Root@Example.com',
          '--password',
          'operator password',
          '--data',
          dataDir,
          '--json',
        ],
        (t) => out.push(t),
        () => undefined,
      );
      assert.equal(code, 0);
      assert.deepEqual(
        { ...JSON.parse(out[0]!), id: undefined },
        { id: undefined, email: 'root@example.com', role: 'operator', verified: true },
      );
      opServer = await startTestServer({ ...relaxedLimits, dataDir, portal: { mailer: opMailer } });
    });
    after(async () => {
      await opServer.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses a second admin create for the same email and bad arguments', async () => {
      const err: string[] = [];
      await opServer.close();
      const dup = await main(
        ['admin', 'create', '--email', 'root@example.com', '--password', 'operator password', '--data', dataDir],
        () => undefined,
        (t) => err.push(t),
      );
      assert.equal(dup, 1);
      assert.match(err.join('\n'), /-60303/);
      assert.equal(
        await main(
          ['admin', 'create', '--email', 'x@example.com', '--data', dataDir],
          () => undefined,
          () => undefined,
        ),
        2,
      );
      assert.equal(
        await main(
          ['admin', 'create', '--email', 'x@example.com', '--password', 'short', '--data', dataDir],
          () => undefined,
          () => undefined,
        ),
        1,
      );
      opServer = await startTestServer({ ...relaxedLimits, dataDir, portal: { mailer: opMailer } });
    });

    it('sees every app with its owner and blocks one; developers may not block', async () => {
      const dev = await verifiedDeveloper(opServer.url, opMailer, 'owner@example.com');
      const { body } = await dev.request('POST', '/apps', { name: 'Owned', domains: ['localhost'] });
      const cliApp = await opServer.createApp(['localhost'], { name: 'From the CLI' });
      const web = body.tokens.find((t: any) => t.type === 'web' && t.environment === 'production').token;

      const devBlock = await dev.request('PUT', `/apps/${body.app.id}/blocked`, { blocked: true });
      assert.equal(devBlock.status, 403);
      assert.equal((await opServer.apps.get(body.app.id)).blocked, false);

      const op = new PortalClient(opServer.url);
      assert.equal((await op.signIn('root@example.com', 'operator password')).status, 200);
      const all = await op.request('GET', '/apps');
      const byId = new Map(all.body.apps.map((a: any) => [a.id, a]));
      assert.equal((byId.get(body.app.id) as any).owner, 'owner@example.com');
      assert.equal((byId.get(cliApp.appId) as any).owner, null);

      const blocked = await op.request('PUT', `/apps/${body.app.id}/blocked`, { blocked: true });
      assert.equal(blocked.status, 200);
      assert.equal(blocked.body.app.blocked, true);
      const login = await s2sLogin(opServer.url, web, '{"payload":{"user_id":"u"}}', { origin: 'localhost' });
      assert.equal(login.status, 403);
      assert.equal(login.body.error.code, -30004);
      assert.equal(
        (await dev.request('GET', `/apps/${body.app.id}`)).body.app.blocked,
        true,
        'the owner sees it blocked',
      );
      await op.request('PUT', `/apps/${body.app.id}/blocked`, { blocked: false });
      assert.equal(
        (await s2sLogin(opServer.url, web, '{"payload":{"user_id":"u"}}', { origin: 'localhost' })).status,
        200,
      );
    });
  });

  describe('the page and the API description', () => {
    it('serves /portal with a strict CSP and no framing, and its script', async () => {
      const page = await fetch(`${server.url}/portal`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-security-policy')!, /default-src 'none'; script-src 'self'/);
      assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      assert.match(await page.text(), /<oovoo-portal>/);
      const script = await fetch(`${server.url}/portal/portal.js`);
      assert.equal(script.status, 200);
      assert.match(script.headers.get('content-type')!, /text\/javascript/);
    });

    it('documents every route in /api/v1/openapi.json', async () => {
      const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as any;
      assert.equal(doc.openapi, '3.1.0');
      // A path with servers of its own (the chat files' endpoints) lives at the root, not under /api/v1.
      const documented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
        Object.keys(ops as object)
          .filter((k) => k !== 'parameters' && k !== 'servers')
          .map(
            (m) =>
              `${m.toUpperCase()} ${ops.servers?.[0]?.url === '/' ? '' : '/api/v1'}${path.replace(/\{(\w+)\}/g, ':$1')}`,
          ),
      );
      // Both ways: every documented operation is served, and every /api/v1 route the server has
      // registered is documented (HEAD comes with GET; the description does not describe itself).
      const registered = registeredRoutes(server.app.printRoutes({ commonPrefix: false })).filter(
        (r) =>
          (r.includes(' /api/v1/') || r.includes(' /1.0/files')) &&
          !r.startsWith('HEAD ') &&
          !r.startsWith('OPTIONS ') &&
          r !== 'GET /api/v1/openapi.json',
      );
      assert.ok(registered.length >= 10, `routes read from the router: ${registered.join(', ')}`);
      assert.deepEqual([...documented].sort(), [...registered].sort());
    });
  });
});

/**
 * `METHOD /path` of every route in Fastify's printRoutes({ commonPrefix: false }) tree, where each
 * line is a child's path suffix (indented four characters a level) and its methods in parentheses.
 */
function registeredRoutes(tree: string): string[] {
  const prefixes: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const path = (depth > 0 ? (prefixes[depth - 1] ?? '') : '') + match[2]!;
    prefixes.length = depth;
    prefixes[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${path}`);
  }
  return routes;
}
