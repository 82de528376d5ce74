/**
 * Upload time (reliability B2): an upload over a slow link may take longer than the connection
 * timeout as long as its bytes keep coming; one that stalls, or outlasts the upload allowance, is
 * cut and keeps nothing; every other request is still cut at the connection timeout.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { boundsOptions } from '../../src/server/cli-options.js';
import { fastifyTimeoutOptions, resolveConnectionLimits } from '../../src/server/connection-guard.js';
import { downloadFile, sha256 } from '../helpers/files.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor, withDeadline } from '../helpers/wait.js';

/** A raw connection: what the server wrote, and when it closed (ms after opening). */
interface Raw {
  readonly socket: Socket;
  readonly closed: Promise<{ afterMs: number; received: string }>;
}

function openRaw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      const opened = performance.now();
      const closed = new Promise<{ afterMs: number; received: string }>((done) =>
        socket.once('close', () => done({ afterMs: performance.now() - opened, received })),
      );
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

/** Starts `POST /1.0/files?<query>` declaring `length` bytes of body, and sends none of it yet. */
async function startUpload(port: number, token: string, query: string, length: number): Promise<Raw> {
  const raw = await openRaw(port);
  raw.socket.write(
    `POST /1.0/files?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://localhost\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Length: ${length}\r\n\r\n`,
  );
  return raw;
}

/** Writes `data` in `chunk`-byte pieces `everyMs` apart, pausing `pauseMs` once halfway; stops if the socket closes. */
function trickle(socket: Socket, data: Buffer, chunk: number, everyMs: number, pauseMs = 0): Promise<void> {
  return new Promise((resolve) => {
    let at = 0;
    let paused = pauseMs === 0;
    const next = () => {
      if (socket.destroyed || at >= data.length) return resolve();
      if (!paused && at >= data.length / 2) {
        paused = true;
        setTimeout(next, pauseMs);
        return;
      }
      socket.write(data.subarray(at, (at += chunk)));
      setTimeout(next, everyMs);
    };
    next();
  });
}

/** The status line, headers and JSON body of a raw answer. */
function parseAnswer(text: string): { status: number; headers: string; body: any } {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

describe('upload time: as long as it keeps moving (B2)', () => {
  // Short limits so the tests take seconds; the defaults are checked at the end.
  const IDLE = 600;
  const REQUEST = 1000;
  const UPLOAD_IDLE = 1500;
  const CHECK = 100;
  // What a connection may outlive its timeout by: the check interval, and a busy machine.
  const SLACK = 2500;
  const limits = {
    idleTimeoutMs: IDLE,
    headersTimeoutMs: 800,
    requestTimeoutMs: REQUEST,
    keepAliveTimeoutMs: IDLE,
    upgradeTimeoutMs: 800,
    timeoutCheckIntervalMs: CHECK,
    uploadIdleTimeoutMs: UPLOAD_IDLE,
  };
  let server: TestServer;
  let token: string;
  let n = 0;

  /** Files on disk (whole and partial) and rows in the table. */
  const stored = (of: TestServer) => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    let onDisk = 0;
    try {
      onDisk = walk(join(of.dataDir, 'files')).length;
    } catch {
      // No upload reached the disk yet.
    }
    const db = new SQLite(join(of.dataDir, 'oovoo.sqlite'), { readonly: true });
    try {
      return { onDisk, rows: (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n };
    } finally {
      db.close();
    }
  };

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, connectionLimits: { ...limits, uploadTimeoutMs: 30_000 } });
    const app = await server.createApp(['localhost', '127.0.0.1']);
    token = await sessionTokenFor(server.url, app.token('web', 'production'), 'alice');
  });
  after(() => server.stop());

  it('takes an upload that trickles for longer than the connection timeouts, with a pause', async () => {
    const data = randomBytes(24 * 1024);
    const raw = await startUpload(server.port, token, `with=bob&name=slow-${++n}.bin`, data.length);
    // 24 pieces 100 ms apart, and a pause longer than the socket's idle and the request timeouts.
    await trickle(raw.socket, data, 1024, 100, REQUEST + 200);
    const { afterMs, received } = await withDeadline(raw.closed, {
      what: 'the slow upload to be answered',
      timeoutMs: 30_000,
    });
    const answer = parseAnswer(received);
    assert.equal(answer.status, 201, received.slice(0, 300));
    assert.ok(afterMs > REQUEST + IDLE, `it took ${Math.round(afterMs)} ms`);
    assert.match(answer.headers, /\r\nconnection: close/, 'the answer ends the connection');
    const got = await downloadFile(server.url, token, answer.body.id);
    assert.equal(sha256(got.bytes!), sha256(data));
  });

  it('cuts an upload that stops sending: 408, the connection closed, nothing kept', async () => {
    const before = stored(server);
    const raw = await startUpload(server.port, token, `with=bob&name=stalled-${++n}.bin`, 10_000);
    raw.socket.write(randomBytes(2000));
    const { afterMs, received } = await withDeadline(raw.closed, {
      what: 'the stalled upload to be cut',
      timeoutMs: UPLOAD_IDLE + SLACK,
    });
    const answer = parseAnswer(received);
    assert.equal(answer.status, 408, received.slice(0, 300));
    assert.equal(answer.body.error.code, -40000);
    assert.match(answer.body.error.description, /nothing arrived for 1\.5 s/);
    assert.ok(afterMs >= UPLOAD_IDLE - 50, `cut after ${Math.round(afterMs)} ms`);
    assert.deepEqual(stored(server), before);
  });

  it('still cuts a slow body on any other route at the connection timeout', async () => {
    const raw = await openRaw(server.port);
    raw.socket.write(
      'POST /1.0/sso/app/login/s2s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n',
    );
    void trickle(raw.socket, Buffer.from('{"payload":'.padEnd(4000, ' ')), 1, 50);
    const { afterMs, received } = await withDeadline(raw.closed, {
      what: 'the close of a slow body',
      timeoutMs: REQUEST + SLACK,
    });
    assert.ok(afterMs >= REQUEST - 50, `closed after ${Math.round(afterMs)} ms`);
    assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received.slice(0, 80));
  });

  it('cuts an upload that outlasts the upload allowance though it never stalls, keeping nothing', async () => {
    const UPLOAD = 2000;
    const short = await startTestServer({ ...relaxedLimits, connectionLimits: { ...limits, uploadTimeoutMs: UPLOAD } });
    try {
      const app = await short.createApp(['localhost']);
      const bearer = await sessionTokenFor(short.url, app.token('web', 'production'), 'alice');
      const data = randomBytes(200 * 1024);
      const raw = await startUpload(short.port, bearer, 'with=bob&name=endless.bin', data.length);
      // 200 pieces 100 ms apart: 20 s, never idle.
      void trickle(raw.socket, data, 1024, 100);
      const { afterMs, received } = await withDeadline(raw.closed, {
        what: 'the long upload to be cut',
        timeoutMs: UPLOAD + SLACK,
      });
      assert.ok(afterMs >= UPLOAD - 50, `cut after ${Math.round(afterMs)} ms`);
      assert.ok(received === '' || received.startsWith('HTTP/1.1 408'), received.slice(0, 80));
      // The partial file goes when the cut reaches the upload's read, just after the socket closed.
      await waitFor(
        () => stored(short),
        (now) => now.onDisk === 0 && now.rows === 0,
        { what: 'nothing kept of the cut upload', timeoutMs: 5000 },
      );
    } finally {
      await short.stop();
    }
  });

  it('defaults to 10 min per upload and 30 s idle, set by --upload-timeout and --upload-idle-timeout', () => {
    const defaults = resolveConnectionLimits();
    assert.equal(defaults.uploadTimeoutMs, 600_000);
    assert.equal(defaults.uploadIdleTimeoutMs, 30_000);
    // Node's one request timeout is the upload allowance; other requests keep theirs (request-timeouts.ts).
    assert.equal(fastifyTimeoutOptions(defaults).http.requestTimeout, 600_000);
    const set = boundsOptions({ 'upload-timeout': '900', 'upload-idle-timeout': '45' });
    assert.equal(set.connectionLimits?.uploadTimeoutMs, 900_000);
    assert.equal(set.connectionLimits?.uploadIdleTimeoutMs, 45_000);
    assert.throws(
      () => boundsOptions({ 'upload-timeout': '3600' }),
      /--upload-timeout must be an integer from 1 to 1800/,
    );
    assert.throws(() => boundsOptions({ 'upload-idle-timeout': '0' }), /--upload-idle-timeout/);
    assert.throws(
      () => resolveConnectionLimits({ uploadTimeoutMs: 10_000, uploadIdleTimeoutMs: 20_000 }),
      /uploadIdleTimeoutMs/,
    );
  });
});
