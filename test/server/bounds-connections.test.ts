/**
 * Reliability B2 and F5 against a real server, with raw TCP sockets on loopback: silent
 * connections, header drips, slow bodies and upgrades that never complete are closed within the
 * configured time; one address may hold only so many connections while others are still served.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { addressMatcher } from '../../src/server/address-match.js';
import { CONNECTION_LIMIT_DEFAULTS, resolveConnectionLimits } from '../../src/server/connection-guard.js';
import { raiseFileLimit, readFileLimit } from '../../src/server/fd-limit.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { waitFor, withDeadline } from '../helpers/wait.js';

/** A raw connection and what became of it. */
interface Raw {
  readonly socket: Socket;
  readonly opened: number;
  /** What the server wrote so far. */
  text(): string;
  /** Resolves with the time it closed (ms after opening) and whatever the server wrote. */
  readonly closed: Promise<{ afterMs: number; received: string }>;
}

function openRaw(port: number, localAddress = '127.0.0.1'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      const opened = performance.now();
      const closed = new Promise<{ afterMs: number; received: string }>((done) =>
        socket.once('close', () => done({ afterMs: performance.now() - opened, received })),
      );
      resolve({ socket, opened, closed, text: () => received });
    });
    socket.once('error', reject);
  });
}

/** Writes `text` one byte every `everyMs` until the socket closes or the text ends. */
function drip(socket: Socket, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[i++]!);
  }, everyMs);
}

/** GET /healthz from a given local address, on a fresh connection. */
function healthz(port: number, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/healthz', localAddress, agent: false, timeout: 5000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('healthz timed out')));
    req.on('error', reject);
    req.end();
  });
}

describe('connection timeouts (B2, F5)', () => {
  // Short timeouts so the test takes seconds; the defaults are checked below.
  const IDLE = 600;
  const HEADERS = 800;
  const REQUEST = 1000;
  const UPGRADE = 800;
  const CHECK = 100;
  // What a connection may outlive its timeout by: the check interval, and a busy machine.
  const SLACK = 2500;
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      connectionLimits: {
        idleTimeoutMs: IDLE,
        headersTimeoutMs: HEADERS,
        requestTimeoutMs: REQUEST,
        upgradeTimeoutMs: UPGRADE,
        keepAliveTimeoutMs: IDLE,
        timeoutCheckIntervalMs: CHECK,
      },
    });
  });
  after(() => server.stop());

  it('closes connections that send nothing', async () => {
    const raws = await Promise.all(Array.from({ length: 20 }, () => openRaw(server.port)));
    const results = await withDeadline(Promise.all(raws.map((r) => r.closed)), {
      what: 'the close of a silent connection',
      timeoutMs: IDLE + SLACK,
    });
    for (const { afterMs, received } of results) {
      assert.ok(afterMs >= IDLE - 50, `closed after ${Math.round(afterMs)} ms, before the timeout`);
      assert.equal(received, '');
    }
  });

  it('closes a connection that drips its request headers a byte at a time', async () => {
    const raw = await openRaw(server.port);
    // Each byte keeps the connection from being idle; only the headers timeout ends it.
    drip(raw.socket, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Drip: a\r\n'.repeat(50)}\r\n`, 50);
    const { afterMs } = await withDeadline(raw.closed, {
      what: 'the close of a header drip',
      timeoutMs: HEADERS + SLACK,
    });
    assert.ok(afterMs >= HEADERS - 50, `closed after ${Math.round(afterMs)} ms`);
  });

  it('closes a connection that sends its request body slowly', async () => {
    const raw = await openRaw(server.port);
    raw.socket.write(
      `POST /1.0/sso/app/login/s2s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n`,
    );
    drip(raw.socket, '{"payload":'.padEnd(4000, ' '), 50);
    const { afterMs, received } = await withDeadline(raw.closed, {
      what: 'the close of a slow body',
      timeoutMs: REQUEST + SLACK,
    });
    assert.ok(afterMs >= REQUEST - 50, `closed after ${Math.round(afterMs)} ms`);
    // Node answers 408 when it has not started a response.
    assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received.slice(0, 80));
  });

  it('closes an upgrade whose headers never end', async () => {
    const raw = await openRaw(server.port);
    raw.socket.write(
      'GET /1.0/ws?uid=alice HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
    );
    // ...and never the blank line that ends them.
    const { afterMs } = await withDeadline(raw.closed, {
      what: 'the close of a half-open upgrade',
      timeoutMs: HEADERS + SLACK,
    });
    assert.ok(afterMs >= Math.min(IDLE, HEADERS) - 50, `closed after ${Math.round(afterMs)} ms`);
  });

  it('cuts an upgrade that does not become a WebSocket in time (its authentication stalls)', async () => {
    const app = await server.createApp(['localhost']);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), 'stalled');
    // A store that stops answering for this app: the one thing the upgrade waits on that a client cannot stall.
    const apps = server.store.apps;
    const get = apps.get.bind(apps);
    // Released at the end, so the stalled request finishes and the server can close after the test.
    let release: () => void = () => undefined;
    const stalled = new Promise<undefined>((resolve) => (release = () => resolve(undefined)));
    apps.get = (id: string) => (id === app.appId ? stalled : get(id));
    try {
      const raw = await openRaw(server.port);
      raw.socket.write(
        'GET /1.0/ws?uid=stalled HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://localhost\r\n` +
          `Sec-WebSocket-Protocol: oovoo.v1, oovoo.token.${token}\r\n\r\n`,
      );
      const { afterMs, received } = await withDeadline(raw.closed, {
        what: 'the close of a stalled upgrade',
        timeoutMs: UPGRADE + SLACK,
      });
      assert.ok(afterMs >= UPGRADE - 50, `closed after ${Math.round(afterMs)} ms`);
      assert.equal(received, '', 'no 101 was sent');
    } finally {
      apps.get = get;
      release();
    }
  });

  it('keeps a WebSocket open past those timeouts once it is upgraded', async () => {
    const app = await server.createApp(['localhost']);
    const { ws } = await Peer.connect(server.url, app.token('web', 'production'), 'kept', { messaging: false });
    // Silent for longer than every timeout above (the liveness pings are 20 s apart).
    const closed = new Promise((resolve) => ws.once('close', resolve));
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('open'), IDLE + UPGRADE + 400)),
    ]);
    assert.equal(outcome, 'open');
    ws.terminate();
  });

  it('serves HTTP as before', async () => {
    assert.equal(await healthz(server.port, '127.0.0.1'), 200);
  });
});

describe('connections per address (B2)', () => {
  const CAP = 8;
  let server: TestServer;
  const raws: Raw[] = [];

  before(async () => {
    // The default timeouts: the held connections must stay open while the test runs.
    server = await startTestServer({ ...relaxedLimits, connectionLimits: { maxPerAddress: CAP } });
  });
  after(async () => {
    for (const r of raws) r.socket.destroy();
    await server.stop();
  });

  it('refuses the connection past the cap from one address, while /healthz still answers another', async () => {
    // 127.0.0.2 is loopback too: the attacker's address, apart from the test's own.
    for (let i = 0; i < CAP; i++) raws.push(await openRaw(server.port, '127.0.0.2'));
    const over = await openRaw(server.port, '127.0.0.2');
    const { afterMs, received } = await withDeadline(over.closed, {
      what: 'the close of the connection past the cap',
      timeoutMs: 2000,
    });
    assert.equal(received, '');
    assert.ok(afterMs < 2000);

    // Another address is served.
    assert.equal(await healthz(server.port, '127.0.0.1'), 200);
    // The held ones are still open, and are still served.
    const still = raws[0]!;
    assert.equal(still.socket.destroyed, false);
    still.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor(() => still.text().startsWith('HTTP/1.1 200'), {
      what: 'an answer on a held connection',
      timeoutMs: 5000,
      intervalMs: 10,
    });

    // One goes away: the address may connect again.
    raws.shift()!.socket.destroy();
    await waitFor(
      () => healthz(server.port, '127.0.0.2').catch(() => 0),
      (status) => status === 200,
      { what: 'the address to be let in again after one connection closed', timeoutMs: 5000 },
    );
  });
});

describe('connections per address behind a trusted proxy (B2)', () => {
  let server: TestServer;
  const raws: Raw[] = [];

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      trustProxy: ['127.0.0.3'],
      connectionLimits: { maxPerAddress: 2 },
    });
  });
  after(async () => {
    for (const r of raws) r.socket.destroy();
    await server.stop();
  });

  it('does not cap the proxy, whose connections carry many clients, and still caps a direct peer', async () => {
    for (let i = 0; i < 5; i++) raws.push(await openRaw(server.port, '127.0.0.3'));
    assert.equal(await healthz(server.port, '127.0.0.3'), 200);
    for (let i = 0; i < 2; i++) raws.push(await openRaw(server.port, '127.0.0.2'));
    const over = await openRaw(server.port, '127.0.0.2');
    assert.equal(
      (await withDeadline(over.closed, { what: 'the close of the direct connection past the cap', timeoutMs: 2000 }))
        .received,
      '',
    );
    assert.ok(raws.every((r) => !r.socket.destroyed));
  });

  it('matches proxy entries as Fastify does: addresses, CIDRs, netmasks, named ranges, IPv4-mapped peers', () => {
    const match = addressMatcher(['10.1.2.3', '192.168.0.0/16', '172.16.0.0/255.240.0.0', 'loopback', '2001:db8::/32']);
    for (const yes of [
      '10.1.2.3',
      '::ffff:10.1.2.3',
      '192.168.44.1',
      '172.31.255.1',
      '127.0.0.9',
      '::1',
      '2001:db8::5',
    ])
      assert.ok(match(yes), yes);
    for (const no of ['10.1.2.4', '172.32.0.1', '8.8.8.8', '2001:db9::1', 'not-an-ip', undefined])
      assert.ok(!match(no), String(no));
  });
});

describe('connection limit defaults and the open-file limit', () => {
  it('closes a silent, slow or half-open connection within 10 s by default', () => {
    const d = resolveConnectionLimits();
    assert.deepEqual(d, CONNECTION_LIMIT_DEFAULTS);
    for (const timeout of [d.idleTimeoutMs, d.headersTimeoutMs, d.requestTimeoutMs, d.upgradeTimeoutMs]) {
      assert.ok(timeout + d.timeoutCheckIntervalMs <= 10_000, `${timeout} ms`);
    }
    assert.ok(d.maxPerAddress > 0);
    assert.throws(
      () => resolveConnectionLimits({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }),
      /headersTimeoutMs/,
    );
    assert.throws(() => resolveConnectionLimits({ maxPerAddress: -1 }), /maxPerAddress/);
  });

  it('reads the open-file limit and leaves the soft limit at the hard one (Linux), or says it is unknown', () => {
    const report = raiseFileLimit();
    const limit = readFileLimit();
    if (process.platform !== 'linux') {
      assert.equal(report.how, 'unknown on this system');
      return;
    }
    assert.ok(limit && limit.soft > 0 && limit.hard >= limit.soft, JSON.stringify(limit));
    assert.equal(report.limit?.soft, limit.hard, `${report.how}: ${JSON.stringify(report)}`);
  });
});
