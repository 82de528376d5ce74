import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant } from './conference-fixture.js';

const SECRET = 'test-turn-secret';

/** A free UDP port on loopback for coturn to listen on. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('conference: relay-only call through coturn with TURN REST credentials', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  let turn: ChildProcess;
  let turnLog = '';

  before(async () => {
    const port = await freeUdpPort();
    const minPort = 50_000 + Math.floor(Math.random() * 10_000);
    // coturn in the foreground on loopback, checking the shared-secret (use-auth-secret) credentials.
    turn = spawn(
      'turnserver',
      [
        '-n',
        '-v',
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--log-file=stdout',
        '--listening-ip=127.0.0.1',
        '--relay-ip=127.0.0.1',
        `--listening-port=${port}`,
        `--min-port=${minPort}`,
        `--max-port=${minPort + 100}`,
        '--allow-loopback-peers',
        '--fingerprint',
        '--realm=oovoo.test',
        '--use-auth-secret',
        `--static-auth-secret=${SECRET}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    turn.stdout!.on('data', (d: Buffer) => (turnLog += d.toString()));
    turn.stderr!.on('data', (d: Buffer) => (turnLog += d.toString()));
    await waitFor(
      () => turnLog,
      (log) => /listener opened|Total General servers/i.test(log),
      { what: 'coturn to listen', timeoutMs: 10_000, intervalMs: 100 },
    );
    server = await startTestServer({
      ...relaxedLimits,
      demoDir: PAGES_DIR,
      conference: { turnUrls: [`turn:127.0.0.1:${port}?transport=udp`], turnSecret: SECRET },
    });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    turn?.kill('SIGTERM');
  });

  it('both sides decode each other over relay candidates only', async () => {
    const people: Participant[] = [];
    for (const uid of ['turn-a', 'turn-b']) {
      const { page } = await newPerson(browser);
      const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
      const { participant, result } = await Participant.join(page, server.url, {
        token,
        uid,
        conf: 'relay-only',
        params: { audio: true, video: true, iceTransportPolicy: 'relay' },
      });
      assert.deepEqual(result, { conf: 'relay-only' });
      people.push(participant);
    }
    const [a, b] = people as [Participant, Participant];
    await a.waitForMediaFrom('turn-b');
    await b.waitForMediaFrom('turn-a');
    const types = await a.page.evaluate(async () => {
      const pc: RTCPeerConnection = (window as any).__conf.c.peerConnection('turn-b');
      const stats = await pc.getStats();
      const found: string[] = [];
      stats.forEach((s: any) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          found.push(stats.get(s.localCandidateId).candidateType, stats.get(s.remoteCandidateId).candidateType);
        }
      });
      return found;
    });
    assert.ok(types.length >= 2 && types.every((t) => t === 'relay'), `selected candidates: ${types.join(', ')}`);
    assert.match(
      turnLog,
      /session .*: realm <oovoo.test> user <\d+:turn-[ab]>/,
      'coturn accepted our REST credentials',
    );
    for (const p of people) await p.page.context().close();
  });
});
