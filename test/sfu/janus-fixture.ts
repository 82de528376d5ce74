// Test helpers for the SFU suite: a real Janus on free ports in a temp folder (inside the network
// namespace scripts/netns-veth.sh makes), and a fake Janus for what a real one will not do on cue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { JanusProcess, findFreePort, type JanusProcessOptions } from '../../src/server/sfu/janus-process.js';

/** The veth Janus gathers ICE on; set by scripts/netns-veth.sh. */
export function iceInterface(): string {
  const name = process.env.OOVOO_NETNS_ICE_INTERFACE;
  if (!name)
    throw new Error(
      'The SFU tests run inside scripts/netns-veth.sh (npm test -- sfu), which sets OOVOO_NETNS_ICE_INTERFACE',
    );
  return name;
}

export const ADMIN_KEY = 'test-admin-key';

export interface TestJanus {
  readonly janus: JanusProcess;
  readonly url: string;
  readonly dir: string;
  readonly options: JanusProcessOptions;
  /** Starts a new Janus with the same config and ports (after a kill). */
  restart(): Promise<JanusProcess>;
  stop(): Promise<void>;
}

/** Starts Janus on a free port with a config written into a new temp folder. */
export async function startTestJanus(overrides: Partial<JanusProcessOptions> = {}): Promise<TestJanus> {
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-janus-'));
  // A random block of 200 media ports, so Janus instances of test files running at once rarely share one.
  const rtpBase = 20_000 + Math.floor(Math.random() * 190) * 200;
  const options: JanusProcessOptions = {
    dir,
    wsPort: await findFreePort(),
    rtpPortRange: [rtpBase, rtpBase + 199],
    iceEnforceList: [iceInterface()],
    videoroomAdminKey: ADMIN_KEY,
    ...overrides,
  };
  let janus = await JanusProcess.start(options);
  return {
    get janus() {
      return janus;
    },
    url: janus.url,
    dir,
    options,
    async restart() {
      await janus.stop();
      janus = await JanusProcess.start(options);
      return janus;
    },
    async stop() {
      await janus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A WebSocket server speaking janus-protocol that creates sessions and acknowledges keepalives, and
 * hands every other request to `answer` (which may stay silent).
 */
export async function startFakeJanus(
  answer: (request: Record<string, unknown>, reply: (message: object) => void) => void,
): Promise<{ url: string; requests: Record<string, unknown>[]; sockets: Set<WebSocket>; close(): Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'janus-protocol' });
  await new Promise((resolve) => server.once('listening', resolve));
  const requests: Record<string, unknown>[] = [];
  const sockets = new Set<WebSocket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data) => {
      const request = JSON.parse(String(data)) as Record<string, unknown>;
      requests.push(request);
      const reply = (message: object) => socket.send(JSON.stringify({ transaction: request.transaction, ...message }));
      if (request.janus === 'create') reply({ janus: 'success', data: { id: 42 } });
      else if (request.janus === 'keepalive') reply({ janus: 'ack', session_id: 42 });
      else if (request.janus === 'destroy') reply({ janus: 'success', session_id: 42 });
      else answer(request, reply);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    requests,
    sockets,
    close: () => {
      for (const s of sockets) s.terminate();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves with the first event `on` delivers that satisfies `ok` (rejects after `timeoutMs`). */
export function nextEvent<T>(
  on: (listener: (value: T) => void) => () => void,
  ok: (value: T) => boolean = () => true,
  timeoutMs = 20_000,
  what = 'event',
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`timed out waiting for ${what}`))), timeoutMs);
    const off = on((value) => {
      if (!ok(value)) return;
      clearTimeout(timer);
      off();
      resolve(value);
    });
  });
}
