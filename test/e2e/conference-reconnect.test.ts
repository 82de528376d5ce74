import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../helpers/free-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { packageRoot } from '../../src/server/index.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant, waitForEvent, type RecordedEvent } from './conference-fixture.js';

const count = (events: RecordedEvent[], kind: string, value?: unknown) =>
  events.filter((e) => e[0] === kind && (value === undefined || e[1] === value)).length;

async function framesRiseAgain(p: Participant, from: string): Promise<void> {
  const now = await p.stats(from);
  await waitFor(
    () => p.stats(from),
    (s) => s.framesDecoded > now.framesDecoded + 10,
    { what: `${p.uid}: frames from ${from} after the drop`, timeoutMs: 20_000, intervalMs: 200 },
  );
}

describe('conference: reconnection', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  let proxy: TcpProxy;

  before(async () => {
    server = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    app = await server.createApp(['localhost', '127.0.0.1']);
    proxy = await TcpProxy.start(server.port);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.stop();
  });

  it('a 3 s cut of the WebSocket: RECONNECTING then RECONNECTED, same participant, nobody saw a leave, video flows', async () => {
    const people: Participant[] = [];
    for (const uid of ['rc-alice', 'rc-bob']) {
      const { page } = await newPerson(browser);
      const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
      const { participant, result } = await Participant.join(page, server.url, {
        token,
        uid,
        conf: 'reconnect',
        server: proxy.url,
      });
      assert.deepEqual(result, { conf: 'reconnect' });
      people.push(participant);
    }
    const [alice, bob] = people as [Participant, Participant];
    await alice.waitForMediaFrom('rc-bob');
    await bob.waitForMediaFrom('rc-alice');

    proxy.outage(3000);
    for (const p of people) {
      const events = await waitForEvent(p, (e) => e[0] === 'state' && e[1] === 'RECONNECTED', 20_000, 'RECONNECTED');
      const states = events.filter((e) => e[0] === 'state').map((e) => e[1]);
      assert.ok(
        states.indexOf('RECONNECTING') !== -1 && states.indexOf('RECONNECTING') < states.indexOf('RECONNECTED'),
        states.join(', '),
      );
    }
    await framesRiseAgain(alice, 'rc-bob');
    await framesRiseAgain(bob, 'rc-alice');
    // Signaling works again in the same room: data goes through.
    await alice.call('sendData', 'rc-alice', 'rc-bob', 'after the cut');
    await waitForEvent(bob, (e) => e[0] === 'data' && e[2] === 'after the cut', 10_000, 'data after the cut');
    for (const [me, other] of [
      [alice, bob],
      [bob, alice],
    ] as const) {
      const events = await me.events();
      assert.equal(count(events, 'left'), 0, `${me.uid} saw no leave`);
      assert.equal(count(events, 'joined', other.uid), 1, `${me.uid} saw ${other.uid} join once`);
    }
    for (const p of people) await p.page.context().close();
  });
});

describe('conference: the server process restarts', () => {
  let dataDir: string;
  let port: number;
  let child: ChildProcess | undefined;
  let pages: TestServer;
  let browser: Browser;
  const cli = join(packageRoot, 'bin', 'oovoo-server.js');

  async function runCli(args: string[]): Promise<string> {
    const proc = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((resolve) => proc.on('exit', resolve));
    assert.equal(code, 0, `oovoo-server ${args.join(' ')}`);
    return out;
  }

  async function startProcess(): Promise<void> {
    child = spawn(
      process.execPath,
      [cli, 'start', '--port', String(port), '--data', dataDir, '--log-level', 'silent'],
      { stdio: 'ignore' },
    );
    await waitFor(
      () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      (ok) => ok,
      { what: 'server process up', timeoutMs: 60_000, intervalMs: 200 },
    );
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oovoo-restart-'));
    port = await freePort();
    // The pages come from a separate test server; signaling goes to the process we restart.
    pages = await startTestServer({ ...relaxedLimits, demoDir: PAGES_DIR });
    browser = await launchChromium();
  });
  after(async () => {
    child?.kill('SIGKILL');
    await browser?.close();
    await pages?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('after a SIGKILL and a new start, clients come back on their own and media flows', async () => {
    const created = JSON.parse(
      await runCli([
        'app',
        'create',
        '--data',
        dataDir,
        '--name',
        'restart',
        '--domain',
        '127.0.0.1',
        '--domain',
        'localhost',
        '--json',
      ]),
    );
    const webToken = created.tokens.find(
      (t: { type: string; environment: string }) => t.type === 'web' && t.environment === 'production',
    ).token;
    await startProcess();
    const signalUrl = `http://127.0.0.1:${port}`;
    const people: Participant[] = [];
    for (const uid of ['rs-alice', 'rs-bob']) {
      const { page } = await newPerson(browser);
      const token = await sessionTokenFor(signalUrl, webToken, uid);
      const { participant, result } = await Participant.join(page, pages.url, {
        token,
        uid,
        conf: 'restart',
        server: signalUrl,
      });
      assert.deepEqual(result, { conf: 'restart' });
      people.push(participant);
    }
    const [alice, bob] = people as [Participant, Participant];
    await alice.waitForMediaFrom('rs-bob');
    await bob.waitForMediaFrom('rs-alice');

    child!.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    await startProcess();

    for (const p of people)
      await waitForEvent(p, (e) => e[0] === 'state' && e[1] === 'RECONNECTED', 30_000, 'RECONNECTED after restart');
    await framesRiseAgain(alice, 'rs-bob');
    await framesRiseAgain(bob, 'rs-alice');
    await bob.call('sendData', 'rs-bob', '', 'back');
    await waitForEvent(alice, (e) => e[0] === 'data' && e[2] === 'back', 10_000, 'data after restart');
    for (const p of people) {
      assert.equal(count(await p.events(), 'left'), 0, `${p.uid} saw no leave`);
      await p.page.context().close();
    }
  });
});
