/**
 * A stand-in for the browser WebSocket that the SDK's signal client takes as `WebSocketImpl`: the
 * test plays the server (welcome, acks, drops) and reads what the client sent. No network.
 */
import { SignalClient } from '../../../src/sdk/signaling/signal-client.js';
import type { ReconnectPolicy } from '../../../src/sdk/signaling/reconnect-policy.js';
import type { ErrorInfo, WelcomeFrame } from '../../../src/protocol/index.js';
import { waitFor } from '../../helpers/wait.js';

export class FakeSocket {
  readyState = 1;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  /** Every frame the client sent on this socket, parsed. */
  readonly sent: Array<{ t: string; id?: string } & Record<string, unknown>> = [];

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a closed fake socket');
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
  }

  /** The server sends a frame. */
  receive(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The server (or the network) closes the socket. */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  /** Sent requests of one type. */
  requests(t: string): Array<{ t: string; id?: string } & Record<string, unknown>> {
    return this.sent.filter((f) => f.t === t);
  }
}

export const welcomeFrame: WelcomeFrame = {
  t: 'welcome',
  uid: 'alice',
  app: 'app-1',
  env: 'sandbox',
  connectionId: 'c1',
  messaging: true,
  pingInterval: 60_000,
  pingTimeout: 60_000,
  expiresAt: 0,
};

/** A signal client over fake sockets that reconnects at once; `sockets` lists every socket it opened. */
export function fakeClient(opts: { policy?: ReconnectPolicy; refusal?: ErrorInfo } = {}) {
  const sockets: FakeSocket[] = [];
  class Impl extends FakeSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  const client = new SignalClient({
    url: 'ws://127.0.0.1:1/1.0/ws?uid=alice',
    token: 'session-token',
    policy: opts.policy ?? { nextDelay: () => 0 },
    explainRefusal: async () => opts.refusal,
    WebSocketImpl: Impl as unknown as typeof WebSocket,
  });
  /** The socket opened as the `n`th (1-based), once the client opened it. */
  const socket = async (n: number): Promise<FakeSocket> => {
    await waitFor(() => sockets.length >= n, { what: `socket ${n}`, intervalMs: 0 });
    return sockets[n - 1]!;
  };
  /** Opens the client and welcomes it on its first socket. */
  const connect = async (): Promise<FakeSocket> => {
    const opened = client.open();
    const first = await socket(1);
    first.receive(welcomeFrame);
    await opened;
    return first;
  };
  /** Drops the current socket and welcomes the next one. */
  const reconnect = async (): Promise<FakeSocket> => {
    sockets.at(-1)!.drop();
    const next = await socket(sockets.length + 1);
    next.receive(welcomeFrame);
    return next;
  };
  return { client, sockets, socket, connect, reconnect };
}
