import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli as cli, type CliRun as Run } from '../helpers/cli.js';
import { clientLogin, relaxedLimits, s2sLogin, startTestServer, verifySession } from '../helpers/server.js';
import { connectSocket } from '../helpers/socket.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BODY = `{ "payload": { "user_id":'foofoo'} }`;

/** The single JSON object a --json command prints. */
function json(run: Run): any {
  assert.equal(run.code, 0, `exit code (stderr: ${run.err.join('\n')})`);
  assert.equal(run.out.length, 1, `one line of output: ${JSON.stringify(run.out)}`);
  return JSON.parse(run.out[0]!);
}

describe('oovoo-server CLI', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'oovoo-cli-'));
    dirs.push(dir);
    return dir;
  };
  let data: string;

  before(() => {
    data = newDir();
  });
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('app create', () => {
    it('--json prints one object with the app id and four tokens', async () => {
      const created = json(
        await cli('app', 'create', '--name', 'Shop', '--domain', 'localhost', '--data', data, '--json'),
      );

      assert.match(created.appId, /^[A-Z2-9]{20}$/);
      assert.equal(created.name, 'Shop');
      assert.deepEqual(created.domains, ['localhost']);
      assert.equal(created.tokens.length, 4);
      for (const t of created.tokens) {
        assert.deepEqual(Object.keys(t).sort(), ['environment', 'token', 'type']);
        assert.match(t.token, /^ovt1\.[\w-]{16}\.[\w-]{43}$/);
      }
      const kinds = created.tokens.map((t: any) => `${t.type}/${t.environment}`).sort();
      assert.deepEqual(kinds, ['native/production', 'native/sandbox', 'web/production', 'web/sandbox']);
    });

    it('takes repeated --domain, normalized and without duplicates', async () => {
      const created = json(
        await cli(
          'app',
          'create',
          '--name',
          'Multi',
          '--domain',
          'LocalHost',
          '--domain',
          '127.0.0.1:9999',
          '--domain',
          'localhost',
          '--data',
          data,
          '--json',
        ),
      );

      assert.deepEqual(created.domains, ['localhost', '127.0.0.1:9999']);
    });

    it('--client-login sets the policy', async () => {
      const created = json(
        await cli(
          'app',
          'create',
          '--name',
          'P',
          '--domain',
          'localhost',
          '--client-login',
          'none',
          '--data',
          data,
          '--json',
        ),
      );
      const list = json(await cli('app', 'list', '--data', data, '--json'));

      assert.equal(list.find((a: any) => a.appId === created.appId).clientLogin, 'none');
    });

    for (const domain of [
      'http://x/',
      'a b',
      'evil.com/path',
      'user@host',
      'localhost:99999',
      'host?x=1',
      'host#frag',
      '',
    ]) {
      it(`refuses the domain ${JSON.stringify(domain)} with exit 1 and -40000`, async () => {
        const run = await cli('app', 'create', '--name', 'Bad', '--domain', domain, '--data', data, '--json');

        assert.equal(run.code, 1);
        assert.deepEqual(run.out, []);
        assert.equal(JSON.parse(run.err.join('\n')).error.code, -40000);
      });
    }

    it('refuses a bad domain without --json with a readable -40000 line', async () => {
      const run = await cli('app', 'create', '--name', 'Bad', '--domain', 'evil.com/path', '--data', data);

      assert.equal(run.code, 1);
      assert.match(run.err.join('\n'), /^error -40000 BadRequest: /);
    });

    it('refuses a blank name with exit 1 and -40000', async () => {
      const run = await cli('app', 'create', '--name', '   ', '--domain', 'localhost', '--data', data, '--json');

      assert.equal(run.code, 1);
      assert.equal(JSON.parse(run.err.join('\n')).error.code, -40000);
    });

    it('with a bad domain creates no app', async () => {
      const dir = newDir();

      await cli('app', 'create', '--name', 'Half', '--domain', 'localhost', '--domain', 'a b', '--data', dir, '--json');
      const list = json(await cli('app', 'list', '--data', dir, '--json'));

      assert.deepEqual(list, []);
    });

    it('without --domain or --name is a usage error (exit 2)', async () => {
      assert.equal((await cli('app', 'create', '--name', 'X', '--data', data)).code, 2);
      assert.equal((await cli('app', 'create', '--domain', 'localhost', '--data', data)).code, 2);
    });
  });

  describe('app list, domain, block', () => {
    let appId: string;
    before(async () => {
      appId = json(
        await cli('app', 'create', '--name', 'Managed', '--domain', 'localhost', '--data', data, '--json'),
      ).appId;
    });

    it('app list --json lists the apps', async () => {
      const list = json(await cli('app', 'list', '--data', data, '--json'));

      const managed = list.find((a: any) => a.appId === appId);
      assert.deepEqual(managed, { appId, name: 'Managed', domains: ['localhost'], blocked: false, clientLogin: 'all' });
    });

    it('app domain add and remove', async () => {
      const added = json(
        await cli(
          'app',
          'domain',
          'add',
          '--app',
          appId,
          '--domain',
          'example.com:8443',
          '--domain',
          'Example.org',
          '--data',
          data,
          '--json',
        ),
      );
      const removed = json(
        await cli('app', 'domain', 'remove', '--app', appId, '--domain', 'localhost', '--data', data, '--json'),
      );

      assert.deepEqual(added.domains, ['localhost', 'example.com:8443', 'example.org']);
      assert.deepEqual(removed.domains, ['example.com:8443', 'example.org']);
    });

    it('app domain remove of a domain the app does not have exits 1 with -50001', async () => {
      const run = await cli(
        'app',
        'domain',
        'remove',
        '--app',
        appId,
        '--domain',
        'nope.example',
        '--data',
        data,
        '--json',
      );

      assert.equal(run.code, 1);
      assert.equal(JSON.parse(run.err[0]!).error.code, -50001);
    });

    it('app domain add of a bad domain exits 1 with -40000', async () => {
      const run = await cli('app', 'domain', 'add', '--app', appId, '--domain', 'http://x/', '--data', data, '--json');

      assert.equal(run.code, 1);
      assert.equal(JSON.parse(run.err[0]!).error.code, -40000);
    });

    it('app domain with neither add nor remove is a usage error', async () => {
      assert.equal(
        (await cli('app', 'domain', 'replace', '--app', appId, '--domain', 'x.example', '--data', data)).code,
        2,
      );
    });

    it('app block and unblock', async () => {
      const blocked = json(await cli('app', 'block', '--app', appId, '--data', data, '--json'));
      const listed = json(await cli('app', 'list', '--data', data, '--json')).find((a: any) => a.appId === appId);
      const unblocked = json(await cli('app', 'unblock', '--app', appId, '--data', data, '--json'));

      assert.equal(blocked.blocked, true);
      assert.equal(listed.blocked, true);
      assert.equal(unblocked.blocked, false);
    });

    it('app client-login sets the policy and refuses an unknown one', async () => {
      const set = json(
        await cli('app', 'client-login', '--app', appId, '--policy', 'sandbox', '--data', data, '--json'),
      );
      const bad = await cli('app', 'client-login', '--app', appId, '--policy', 'some', '--data', data, '--json');

      assert.equal(set.clientLogin, 'sandbox');
      assert.equal(bad.code, 1);
      assert.equal(JSON.parse(bad.err[0]!).error.code, -40000);
    });

    it('block of an unknown app exits 1 with -50001', async () => {
      const run = await cli('app', 'block', '--app', 'NOSUCHAPP', '--data', data, '--json');

      assert.equal(run.code, 1);
      assert.equal(JSON.parse(run.err[0]!).error.code, -50001);
    });
  });

  describe('token', () => {
    let appId: string;
    before(async () => {
      appId = json(
        await cli('app', 'create', '--name', 'Tokens', '--domain', 'localhost', '--data', data, '--json'),
      ).appId;
    });

    it('create, list and revoke', async () => {
      const created = json(
        await cli('token', 'create', '--app', appId, '--type', 'web', '--env', 'sandbox', '--data', data, '--json'),
      );
      const before = json(await cli('token', 'list', '--app', appId, '--data', data, '--json'));
      const revoked = json(
        await cli('token', 'revoke', '--app', appId, '--token', created.token, '--data', data, '--json'),
      );
      const afterRevoke = json(await cli('token', 'list', '--app', appId, '--data', data, '--json'));

      assert.equal(created.appId, appId);
      assert.equal(created.type, 'web');
      assert.equal(created.environment, 'sandbox');
      assert.match(created.token, /^ovt1\.[\w-]{16}\.[\w-]{43}$/);
      assert.equal(created.token.split('.')[1], created.id);
      assert.equal(before.length, 5);
      assert.deepEqual(
        before.find((t: any) => t.id === created.id),
        {
          id: created.id,
          type: 'web',
          environment: 'sandbox',
          createdAt: before.find((t: any) => t.id === created.id).createdAt,
          revoked: false,
        },
      );
      // The list never shows a token, only ids.
      assert.ok(!JSON.stringify(before).includes(created.token));
      assert.deepEqual(revoked, { appId, revoked: true });
      assert.equal(afterRevoke.find((t: any) => t.id === created.id).revoked, true);
      assert.equal(afterRevoke.filter((t: any) => t.revoked).length, 1);
    });

    it('revokes by id, and a second revoke exits 1 with -50001', async () => {
      const created = json(
        await cli(
          'token',
          'create',
          '--app',
          appId,
          '--type',
          'native',
          '--env',
          'production',
          '--data',
          data,
          '--json',
        ),
      );

      const first = await cli('token', 'revoke', '--app', appId, '--token', created.id, '--data', data, '--json');
      const second = await cli('token', 'revoke', '--app', appId, '--token', created.id, '--data', data, '--json');

      assert.equal(first.code, 0);
      assert.equal(second.code, 1);
      assert.equal(JSON.parse(second.err[0]!).error.code, -50001);
    });

    it('takes a token id that starts with a dash, as base64url ids may', async () => {
      const run = await cli('token', 'revoke', '--app', appId, '--token', '-AAAAAAAAAAAAAAA', '--data', data, '--json');

      assert.equal(run.code, 1, run.err.join('\n'));
      assert.equal(JSON.parse(run.err[0]!).error.code, -50001);
    });

    it('still refuses a flag given where a value belongs', async () => {
      const run = await cli('token', 'revoke', '--app', appId, '--token', '--json', '--data', data);

      assert.equal(run.code, 2);
      assert.match(run.err.join('\n'), /argument is ambiguous/);
    });

    it("will not revoke another app's token", async () => {
      const other = json(
        await cli('app', 'create', '--name', 'Other', '--domain', 'localhost', '--data', data, '--json'),
      );

      const run = await cli(
        'token',
        'revoke',
        '--app',
        appId,
        '--token',
        other.tokens[0].token,
        '--data',
        data,
        '--json',
      );

      assert.equal(run.code, 1);
      assert.equal(JSON.parse(run.err[0]!).error.code, -50001);
    });

    it('refuses a bad type or environment with exit 1 and -40000', async () => {
      const badType = await cli(
        'token',
        'create',
        '--app',
        appId,
        '--type',
        'admin',
        '--env',
        'sandbox',
        '--data',
        data,
        '--json',
      );
      const badEnv = await cli(
        'token',
        'create',
        '--app',
        appId,
        '--type',
        'web',
        '--env',
        'staging',
        '--data',
        data,
        '--json',
      );

      assert.equal(badType.code, 1);
      assert.equal(JSON.parse(badType.err[0]!).error.code, -40000);
      assert.equal(badEnv.code, 1);
      assert.equal(JSON.parse(badEnv.err[0]!).error.code, -40000);
    });

    it('without --app is a usage error (exit 2)', async () => {
      assert.equal((await cli('token', 'list', '--data', data)).code, 2);
    });
  });

  describe('usage', () => {
    it('an unknown command exits 2 with the usage on stderr', async () => {
      const run = await cli('frobnicate', '--data', data);

      assert.equal(run.code, 2);
      assert.match(run.err.join('\n'), /unknown command frobnicate/);
      assert.match(run.err.join('\n'), /Usage:/);
    });

    it('unknown subcommands and unknown options exit 2', async () => {
      assert.equal((await cli('app', 'explode', '--data', data)).code, 2);
      assert.equal((await cli('token', 'explode', '--app', 'X', '--data', data)).code, 2);
      assert.equal((await cli('app', 'list', '--bogus', '--data', data)).code, 2);
    });

    it('no command prints the usage and exits 2; --help exits 0', async () => {
      const none = await cli();
      const help = await cli('app', '--help');

      assert.equal(none.code, 2);
      assert.match(none.out.join('\n'), /Usage:/);
      assert.equal(help.code, 0);
    });
  });

  it('shares its store with the server: an app made by the CLI logs in on a server started on that folder', async () => {
    const dir = newDir();
    const created = json(
      await cli('app', 'create', '--name', 'Shared', '--domain', 'localhost', '--data', dir, '--json'),
    );
    const web = created.tokens.find((t: any) => t.type === 'web' && t.environment === 'production').token;
    const server = await startTestServer({ ...relaxedLimits, dataDir: dir });
    try {
      const ok = await s2sLogin(server.url, web, BODY, { origin: 'localhost' });
      assert.equal(ok.status, 200);

      // A change made by the CLI while the server runs is seen at the next request.
      json(await cli('app', 'block', '--app', created.appId, '--data', dir, '--json'));
      const blocked = await s2sLogin(server.url, web, BODY, { origin: 'localhost' });
      json(await cli('app', 'unblock', '--app', created.appId, '--data', dir, '--json'));
      json(await cli('token', 'revoke', '--app', created.appId, '--token', web, '--data', dir, '--json'));
      const revoked = await s2sLogin(server.url, web, BODY, { origin: 'localhost' });

      assert.equal(blocked.status, 403);
      assert.equal(blocked.body.error.code, -30004);
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.error.code, -30000);
    } finally {
      await server.stop();
    }
  });

  it('session create mints a host (or participant) token the server on that folder accepts, and refuses a bad role', async () => {
    const dir = newDir();
    const { appId } = json(
      await cli('app', 'create', '--name', 'Hosts', '--domain', 'localhost', '--data', dir, '--json'),
    );
    const server = await startTestServer({ ...relaxedLimits, dataDir: dir });
    try {
      const mint = (...args: string[]) =>
        cli('session', 'create', '--app', appId, '--user', 'hostess', '--data', dir, '--json', ...args);
      const host = json(await mint('--role', 'host', '--env', 'production'));
      assert.deepEqual([host.appId, host.userId, host.role, host.env], [appId, 'hostess', 'host', 'production']);
      const claims = JSON.parse(Buffer.from(host.token.split('.')[1], 'base64url').toString('utf8'));
      assert.equal(claims.role, 'host');
      assert.equal(claims.env, 'production');
      const verified = await verifySession(server.url, { token: host.token, userId: 'hostess' });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));

      const participant = json(await mint());
      assert.equal(participant.role, 'participant');
      assert.equal(participant.env, 'sandbox');
      assert.equal(JSON.parse(Buffer.from(participant.token.split('.')[1], 'base64url').toString()).role, undefined);

      const bad = await mint('--role', 'admin');
      assert.equal(bad.code, 2);
      assert.match(bad.err.join('\n'), /--role must be participant or host/);
      assert.equal(bad.out.length, 0, 'no token printed');
      assert.equal((await cli('session', 'create', '--app', 'NOSUCHAPP', '--user', 'x', '--data', dir)).code, 1);
    } finally {
      await server.stop();
    }
  });
});

describe('oovoo-server start: logs of the real binary at level info', () => {
  let dir: string;
  let child: ChildProcess;
  let output = '';
  let url: string;
  let exit: Promise<number | null>;
  let webSandbox: string;
  let webProduction: string;
  let createOut: string;
  let createErr: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oovoo-logs-'));
    // The app is made beforehand, by the same binary (bin/ runs dist/ when built, so the store
    // schema matches), and the server then does not make and print a development app of its own.
    const created = await promisify(execFile)(
      process.execPath,
      ['bin/oovoo-server.js', 'app', 'create', '--name', 'X', '--domain', 'localhost', '--data', dir, '--json'],
      { cwd: root },
    );
    createOut = created.stdout;
    createErr = created.stderr;
    const app = JSON.parse(createOut);
    webSandbox = app.tokens.find((t: any) => t.type === 'web' && t.environment === 'sandbox').token;
    webProduction = app.tokens.find((t: any) => t.type === 'web' && t.environment === 'production').token;

    const env = { ...process.env };
    delete env.OOVOO_LOG_LEVEL;
    delete env.OOVOO_SESSION_SECRET;
    delete env.PORT;
    delete env.HOST;
    child = spawn(process.execPath, ['bin/oovoo-server.js', 'start', '--port', '0', '--data', dir], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
    });
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exit;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('node bin/oovoo-server.js app create --json prints one JSON object with four tokens', () => {
    assert.equal(createErr, '');
    const lines = createOut.trim().split('\n');
    assert.equal(lines.length, 1);
    const created = JSON.parse(lines[0]!);
    assert.match(created.appId, /^[A-Z2-9]{20}$/);
    assert.deepEqual(created.domains, ['localhost']);
    assert.equal(created.tokens.length, 4);
    for (const t of created.tokens) assert.deepEqual(Object.keys(t).sort(), ['environment', 'token', 'type']);
  });

  it('never writes an app token or a session token', async () => {
    // A client login with the token in the query (the GET form), refused and accepted.
    const refused = await clientLogin(
      url,
      { token: webSandbox, userId: 'alice', isSandbox: 'false', callbackUrl: 'http://localhost/cb' },
      { method: 'GET' },
    );
    const accepted = await clientLogin(
      url,
      { token: webSandbox, userId: 'alice', isSandbox: 'true', callbackUrl: 'http://localhost/cb?pid=42' },
      { method: 'GET' },
    );
    const clientSession = new URL(accepted.location!).searchParams.get('t')!;
    // The form post, and server-to-server logins, accepted and refused.
    const posted = await clientLogin(url, {
      token: webSandbox,
      userId: 'bob',
      isSandbox: 'true',
      callbackUrl: 'http://localhost/cb',
    });
    const s2s = await s2sLogin(url, webProduction, `{ "payload": { "user_id":'foofoo'} }`, { origin: 'localhost' });
    const s2sRefused = await s2sLogin(url, webProduction, `{ "payload": { "user_id":'foofoo'} }`, {
      origin: 'evil.com',
    });
    const s2sSession = s2s.body.payload.token as string;
    // The session tokens used: verified, and on a socket (as a subprotocol), accepted and refused.
    const verified = await verifySession(url, { token: s2sSession, userId: 'foofoo' });
    const socket = await connectSocket(url, {
      query: { uid: 'foofoo' },
      protocols: ['oovoo.v1', `oovoo.token.${s2sSession}`],
      origin: 'http://localhost:1234',
    });
    const badSocket = await connectSocket(url, {
      query: { uid: 'mallory' },
      protocols: ['oovoo.v1', `oovoo.token.${clientSession}`],
      origin: 'http://localhost:1234',
    });
    if (socket.kind === 'open') socket.ws.close();

    child.kill('SIGTERM');
    const code = await exit;
    await new Promise((r) => setImmediate(r));

    assert.equal(refused.status, 403);
    assert.equal(accepted.status, 302);
    assert.equal(posted.status, 302);
    assert.equal(s2s.status, 200);
    assert.equal(s2sRefused.status, 403);
    assert.equal(verified.status, 200);
    assert.equal(socket.kind, 'open');
    assert.equal(badSocket.kind, 'refused');
    assert.equal(code, 0);
    // The logs are there (so their silence about tokens means something)...
    assert.match(output, /\/1\.0\/sso\/app\/login/);
    assert.match(output, /\/1\.0\/sso\/app\/login\/s2s/);
    assert.match(output, /\/1\.0\/ws/);
    assert.equal(output.match(/"msg":"incoming request"/g)?.length, 8, 'one info-level log line per request');
    // ...and no token, nor the secret part of one, appears in them.
    const postedSession = new URL(posted.location!).searchParams.get('t')!;
    for (const [name, secret] of [
      ['sandbox web token', webSandbox],
      ['production web token', webProduction],
      ['client-login session token', clientSession],
      ['posted client-login session token', postedSession],
      ['s2s session token', s2sSession],
    ] as const) {
      const parts = secret.split('.');
      assert.ok(!output.includes(secret), `${name} appears in the output`);
      assert.ok(!output.includes(parts[2]!), `the signature/secret of the ${name} appears in the output`);
    }
  });
});
