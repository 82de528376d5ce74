import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { OoVooClient } from '../../src/sdk/client.js';
import { waitFor } from '../helpers/wait.js';
import { connectNodeClient, installNodeWebSocket } from '../helpers/node-sdk.js';
import { sessionTokenFor } from '../helpers/server.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'oovoo-server.js');

/** The real server as a separate process, as `oovoo-server start` runs it. */
function startServerProcess(port: number, dataDir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [cli, 'start', '--port', String(port), '--data', dataDir, '--log-level', 'warn'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return child;
}

async function waitForHealth(url: string): Promise<void> {
  await waitFor(
    () =>
      fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false, // not up yet
      ),
    { what: 'the server to come up', timeoutMs: 30_000, intervalMs: 50 },
  );
}

describe('messaging survives SIGKILL of the server', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-kill-'));
  let port: number;
  let url: string;
  let child: ChildProcess | undefined;
  let appToken = '';
  const clients: OoVooClient[] = [];

  before(async () => {
    installNodeWebSocket('http://localhost');
    const { stdout } = await promisify(execFile)(process.execPath, [
      cli,
      'app',
      'create',
      '--name',
      'Kill test',
      '--domain',
      'localhost',
      '--domain',
      '127.0.0.1',
      '--data',
      dataDir,
      '--json',
    ]);
    const created = JSON.parse(stdout.trim().split('\n').pop()!);
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    child = startServerProcess(port, dataDir);
    await waitForHealth(url);
    appToken = created.tokens.find((t: any) => t.type === 'web' && t.environment === 'production').token as string;
  });

  after(async () => {
    for (const client of clients) client.disconnect();
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('1,000 messages between connected clients: every acknowledged one is delivered exactly once, in order', async () => {
    const pairs = 10;
    const perSender = 100;
    const senders: OoVooClient[] = [];
    const received: string[][] = [];
    for (let i = 0; i < pairs; i++) {
      const sender = await connectNodeClient(url, `sender-${i}`, await sessionTokenFor(url, appToken, `sender-${i}`));
      const receiver = await connectNodeClient(
        url,
        `receiver-${i}`,
        await sessionTokenFor(url, appToken, `receiver-${i}`),
      );
      const inbox: string[] = [];
      receiver.Messaging.onReceiveMessage = (evt) => inbox.push(evt.body);
      senders.push(sender);
      received.push(inbox);
      clients.push(sender, receiver);
    }

    let acked = 0;
    const acknowledged: Array<Map<string, string>> = senders.map(() => new Map());
    const failures: unknown[] = [];
    let killedAt = -1;
    let inFlightAtKill = 0;
    // Each sender keeps up to 10 sends in flight, so sends are on the wire when the server dies.
    const runSender = async (i: number) => {
      const inFlight = new Set<Promise<void>>();
      for (let n = 0; n < perSender; n++) {
        const body = `s${i}-${n}`;
        const p: Promise<void> = senders[i]!.Messaging.send({ to: [`receiver-${i}`], body }).then(
          (result) => {
            acknowledged[i]!.set(body, result.msg_id);
            acked++;
          },
          (e: unknown) => {
            failures.push(e);
          },
        );
        const tracked = p.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        if (inFlight.size >= 10) await Promise.race(inFlight);
        await new Promise((r) => setTimeout(r, 2));
      }
      await Promise.all(inFlight);
    };
    const killer = (async () => {
      const unanswered = () => senders.reduce((sum, s) => sum + s.Messaging.unacknowledgedSends, 0);
      // Killed at a moment when sends are on the wire (a fast server may answer each before the next goes).
      await waitFor(() => acked >= 300 && unanswered() > 0, {
        what: '300 acknowledged sends and some unanswered',
        timeoutMs: 60_000,
        intervalMs: 0,
      });
      killedAt = acked;
      inFlightAtKill = unanswered();
      child!.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      child = startServerProcess(port, dataDir);
      await waitForHealth(url);
    })();

    await Promise.all([...senders.map((_, i) => runSender(i)), killer]);
    assert.deepEqual(failures, []);
    assert.ok(killedAt >= 300 && killedAt < pairs * perSender, `killed mid-flow (at ${killedAt})`);
    assert.ok(inFlightAtKill > 0, 'sends were unanswered when the server died');
    assert.equal(acked, pairs * perSender);

    await waitFor(() => received.every((inbox) => inbox.length >= perSender), {
      what: 'every message at its receiver',
      timeoutMs: 60_000,
    });
    // A last message to each receiver arrives after any second delivery of an earlier one would have:
    // an inbox is read in order.
    await Promise.all(senders.map((sender, i) => sender.Messaging.send({ to: [`receiver-${i}`], body: 'last' })));
    await waitFor(() => received.every((inbox) => inbox.includes('last')), {
      what: 'the last message at every receiver',
      timeoutMs: 60_000,
    });
    for (let i = 0; i < pairs; i++) {
      const expected = [...Array.from({ length: perSender }, (_, n) => `s${i}-${n}`), 'last'];
      assert.deepEqual(received[i], expected, `receiver-${i} got each message once, in order`);
      assert.equal(new Set(acknowledged[i]!.values()).size, perSender, 'one msg_id per message');
    }
  });
});
