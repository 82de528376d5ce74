import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/server/cli.js';
import { createServer } from '../../src/server/index.js';
import { CapturingMailer } from '../helpers/portal.js';
import { relaxedLimits, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PASSWORD = 'correct horse battery';
/** What an attacker puts in the request: another host, directly and as a proxy would forward it. */
const FORGED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly cookie: string | undefined;
}

/** A POST as curl would send it (no Origin), with any Host header: fetch does not let a test choose Host. */
function post(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string | undefined> = {},
): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          ...(payload ? { 'content-type': 'application/json' } : {}),
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // empty
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Waits (with a deadline) for the password reset mail the server sends after answering. */
async function resetLink(mailer: CapturingMailer, email: string, timeoutMs = 5000): Promise<string> {
  const link = await waitFor(() => mailer.sent.find((m) => m.to === email && m.kind === 'password-reset')?.link, {
    what: `a reset mail to ${email}`,
    timeoutMs,
    intervalMs: 10,
  });
  return link!;
}

describe('portal mail links ignore the Host header', () => {
  describe('without a public URL: the listening address', () => {
    let server: TestServer;
    const mailer = new CapturingMailer();

    before(async () => {
      server = await startTestServer({ ...relaxedLimits, portal: { mailer } });
    });
    after(async () => {
      await server?.stop();
    });

    it('puts the listening origin, not Host or X-Forwarded-Host, in verification, resend and reset mail', async () => {
      const signUp = await post(
        server.url,
        '/api/v1/accounts',
        { email: 'host@example.com', password: PASSWORD },
        FORGED,
      );
      assert.equal(signUp.status, 201);
      const first = mailer.linkFor('host@example.com');
      assert.match(first, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/api/v1/verify\\?token=[\\w-]{43}$`));

      const resend = await post(server.url, '/api/v1/account/verification', undefined, {
        ...FORGED,
        cookie: signUp.cookie,
        'x-csrf-token': signUp.body.csrfToken,
      });
      assert.equal(resend.status, 202);
      const second = mailer.linkFor('host@example.com');
      assert.notEqual(second, first);
      assert.ok(second.startsWith(`${server.url}/api/v1/verify?token=`), second);

      const reset = await post(server.url, '/api/v1/password-reset/request', { email: 'host@example.com' }, FORGED);
      assert.equal(reset.status, 202);
      assert.match(await resetLink(mailer, 'host@example.com'), new RegExp(`^${server.url}/portal#reset=[\\w-]{43}$`));

      assert.equal(
        mailer.sent.some((m) => m.text.includes('evil.example')),
        false,
      );
    });
  });

  describe('with a public URL', () => {
    let server: TestServer;
    const mailer = new CapturingMailer();

    before(async () => {
      server = await startTestServer({ ...relaxedLimits, publicUrl: 'https://portal.example.com', portal: { mailer } });
    });
    after(async () => {
      await server?.stop();
    });

    it('puts the configured origin in every mail, whatever Host says', async () => {
      const signUp = await post(
        server.url,
        '/api/v1/accounts',
        { email: 'public@example.com', password: PASSWORD },
        FORGED,
      );
      assert.equal(signUp.status, 201);
      assert.match(
        mailer.linkFor('public@example.com'),
        /^https:\/\/portal\.example\.com\/api\/v1\/verify\?token=[\w-]{43}$/,
      );
      await post(server.url, '/api/v1/password-reset/request', { email: 'public@example.com' }, FORGED);
      assert.match(
        await resetLink(mailer, 'public@example.com'),
        /^https:\/\/portal\.example\.com\/portal#reset=[\w-]{43}$/,
      );
    });

    it('still refuses a browser request whose Origin is not the public origin', async () => {
      const res = await post(
        server.url,
        '/api/v1/accounts',
        { email: 'other@example.com', password: PASSWORD },
        { origin: 'http://evil.example' },
      );
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, -35001);
    });
  });

  it('refuses a public URL that is not an http(s) origin, naming the problem', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-public-url-'));
    try {
      for (const [publicUrl, message] of [
        ['not a url', /is not a URL/],
        ['ftp://portal.example.com', /http or https/],
        ['https://portal.example.com/oovoo', /origin only/],
      ] as const) {
        await assert.rejects(createServer({ dataDir, port: 0, logLevel: 'silent', demoDir: null, publicUrl }), message);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('oovoo-server start --public-url', () => {
  it('refuses a bad --public-url or $OOVOO_PUBLIC_URL with a usage error before starting', async () => {
    const errors: string[] = [];
    assert.equal(
      await main(
        ['start', '--port', '0', '--public-url', 'ftp://x.example'],
        () => undefined,
        (t) => errors.push(t),
      ),
      2,
    );
    assert.match(errors[0]!, /^--public-url: the public URL must be http or https/);
    const saved = process.env.OOVOO_PUBLIC_URL;
    process.env.OOVOO_PUBLIC_URL = 'https://x.example/path';
    try {
      assert.equal(
        await main(
          ['start', '--port', '0'],
          () => undefined,
          (t) => errors.push(t),
        ),
        2,
      );
      assert.match(errors[1]!, /^--public-url: the public URL is an origin only/);
    } finally {
      if (saved === undefined) delete process.env.OOVOO_PUBLIC_URL;
      else process.env.OOVOO_PUBLIC_URL = saved;
    }
  });

  describe('the real command', () => {
    let dir: string;
    let child: ChildProcess;
    let exit: Promise<unknown>;
    let output = '';
    let url: string;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'oovoo-public-url-cli-'));
      const env: NodeJS.ProcessEnv = { ...process.env, OOVOO_LOG_LEVEL: 'warn' };
      delete env.OOVOO_SMTP_URL;
      delete env.OOVOO_PUBLIC_URL;
      // The source through tsx (bin/ would run a dist/ that may be older than this checkout).
      const run =
        "const { main } = await import('./src/server/cli.ts'); const code = await main(process.argv.slice(1)); if (code) process.exit(code);";
      child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          run,
          'start',
          '--port',
          '0',
          '--data',
          dir,
          '--public-url',
          'https://chat.example.com',
        ],
        { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      exit = new Promise((resolve) => child.once('exit', resolve));
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      url = await waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 20_000);
    });
    after(async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
      rmSync(dir, { recursive: true, force: true });
    });

    /** The first capture of `pattern` in the server's output, waited for with a deadline. */
    async function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string> {
      const text = await waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
          return output;
        },
        (read) => pattern.test(read),
        { what: `${pattern} in the server's output`, timeoutMs, intervalMs: 25 },
      );
      return pattern.exec(text)![1]!;
    }

    it('logs the verification link on the public origin although the request named evil.example', async () => {
      const signUp = await post(url, '/api/v1/accounts', { email: 'cli@example.com', password: PASSWORD }, FORGED);
      assert.equal(signUp.status, 201);
      const link = await waitForOutput(/"link":"([^"]+)"/, 10_000);
      assert.match(link, /^https:\/\/chat\.example\.com\/api\/v1\/verify\?token=[\w-]{43}$/);
      assert.equal(output.includes('evil.example'), false);
    });
  });
});
