import WebSocket from 'ws';
import { sessionTokenFor } from './server.js';

/** Polls until `condition` holds; fails after `timeoutMs` with `what`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A raw WebSocket client speaking the messaging frames, for server tests: records every frame,
 * answers requests by id, and acknowledges delivered entries unless told not to.
 */
export class Peer {
  readonly frames: any[] = [];
  /** Inbox entries in arrival order (duplicates included). */
  readonly entries: any[] = [];
  private nextId = 1;
  private readonly waiting = new Map<string, (frame: any) => void>();

  private constructor(
    readonly ws: WebSocket,
    readonly opts: { autoReceive: boolean },
  ) {
    // Listening from the start: the backlog can arrive in the same read as the welcome.
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      this.frames.push(frame);
      if ((frame.t === 'ack' || frame.t === 'error') && typeof frame.id === 'string') {
        const w = this.waiting.get(frame.id);
        this.waiting.delete(frame.id);
        w?.(frame);
      }
      if (frame.t === 'msg.deliver') {
        this.entries.push(...frame.entries);
        if (this.opts.autoReceive) this.send({ t: 'msg.received', ids: frame.entries.map((e: any) => e.id) });
      }
    });
  }

  /** The server's first frame. */
  get welcome(): any {
    return this.frames[0];
  }

  static async connect(
    baseUrl: string,
    appToken: string,
    uid: string,
    opts: { messaging?: boolean; autoReceive?: boolean; origin?: string; token?: string } = {},
  ): Promise<Peer> {
    const token = opts.token ?? (await sessionTokenFor(baseUrl, appToken, uid));
    const query = new URLSearchParams({ uid, ...(opts.messaging === false ? {} : { messaging: '1' }) });
    const ws = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/1.0/ws?${query}`,
      ['oovoo.v1', `oovoo.token.${token}`],
      {
        origin: opts.origin ?? 'http://localhost',
      },
    );
    const peer = new Peer(ws, { autoReceive: opts.autoReceive ?? true });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`socket refused: ${res.statusCode}`)));
    });
    await waitUntil(() => peer.frames.length > 0, 'the welcome');
    return peer;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends a request and resolves with its ack or error frame. */
  request(frame: Record<string, unknown>, timeoutMs = 15_000): Promise<any> {
    const id = `p${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${String(frame.t)}`)), timeoutMs);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.send({ ...frame, id });
    });
  }

  messages(): any[] {
    return this.entries.filter((e) => e.kind === 'message');
  }

  receipts(): any[] {
    return this.entries.filter((e) => e.kind === 'receipt');
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
