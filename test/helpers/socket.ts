import WebSocket from 'ws';
import { sessionTokenFor } from './server.js';
import { waitForEvent, withDeadline } from './wait.js';

/**
 * The raw WebSocket clients of the server tests: `connectSocket` for the upgrade itself (accepted or
 * refused, frames read in order), and `Peer` for a signed-in client that sends requests and collects
 * what the server sends.
 */

/** Frames received on a socket, read in order. */
export class FrameReader {
  private readonly frames: unknown[] = [];
  private readonly waiters: Array<(frame: unknown) => void> = [];

  constructor(ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? data : JSON.parse(data.toString());
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
  }

  /** The next frame; fails after timeoutMs. */
  next(timeoutMs = 2000): Promise<any> {
    if (this.frames.length > 0) return Promise.resolve(this.frames.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(new Error(`no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (frame: unknown) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiters.push(waiter);
    });
  }

  get pending(): number {
    return this.frames.length;
  }
}

export type SocketAttempt =
  | {
      readonly kind: 'open';
      readonly ws: WebSocket;
      readonly protocol: string;
      readonly frames: FrameReader;
      readonly welcome: any;
    }
  | { readonly kind: 'refused'; readonly status: number; readonly body: any; readonly opened: boolean };

/**
 * Opens /1.0/ws with the given query and subprotocols. Resolves with the open socket and its
 * welcome frame, or with the HTTP status and body of a refused upgrade.
 */
export function connectSocket(
  baseUrl: string,
  opts: { query: Record<string, string>; protocols: string[]; origin?: string | undefined; autoPong?: boolean },
): Promise<SocketAttempt> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/1.0/ws?${new URLSearchParams(opts.query)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts.protocols, {
      ...(opts.origin === undefined ? {} : { origin: opts.origin }),
      ...(opts.autoPong === undefined ? {} : { autoPong: opts.autoPong }),
    });
    const frames = new FrameReader(ws);
    let opened = false;
    ws.on('open', () => {
      opened = true;
      frames.next().then(
        (welcome) => resolve({ kind: 'open', ws, protocol: ws.protocol, frames, welcome }),
        (e: unknown) => reject(e),
      );
    });
    ws.on('unexpected-response', (req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        req.destroy();
        // Once the upgrade is answered with a status, that socket can no longer open: `opened` is final.
        resolve({ kind: 'refused', status: res.statusCode ?? 0, body, opened });
      });
    });
    ws.on('error', (e) => reject(e));
  });
}

/** Resolves with the close code and reason of a socket. */
export async function waitForClose(ws: WebSocket, timeoutMs = 3000): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) throw new Error('socket already closed');
  const [code, reason] = await waitForEvent(ws, 'close', { what: 'the close of the socket', timeoutMs });
  return { code, reason: reason.toString() };
}

export interface PeerOptions {
  /** The session token; by default one is made for the user with the app token. */
  token?: string;
  /** Opens the messaging side (`messaging=1`): inbox entries are delivered. Default true. */
  messaging?: boolean;
  /** Acknowledges delivered entries with msg.received. Default true. */
  autoReceive?: boolean;
  /** Default http://localhost. */
  origin?: string;
  /** Keeps every frame in `frames`. Default true; off where this process's memory is what is measured. */
  keepFrames?: boolean;
  /** Called with every frame the server sends, after it is recorded. */
  onFrame?: (frame: any) => void;
  /** The deadline of the upgrade and of the welcome. Default 15 s. */
  timeoutMs?: number;
}

/**
 * A signed-in raw WebSocket client: records the frames the server sends (or only counts them),
 * answers its own requests and pings by id, and acknowledges delivered inbox entries unless told
 * not to. What a well-behaved client would not see is recorded, not thrown from a socket event:
 * frames that are not JSON objects with a type in `unreadable`, answers to no request in `unanswered`.
 */
export class Peer {
  readonly frames: any[] = [];
  readonly counts = new Map<string, number>();
  /** The first ten error frames. */
  readonly errors: any[] = [];
  /** Inbox entries in arrival order (duplicates included). */
  readonly entries: any[] = [];
  readonly unreadable: string[] = [];
  readonly unanswered: any[] = [];
  /** The server's first frame. */
  welcome: any;
  closed: { code: number; reason: string } | undefined;
  private seq = 0;
  private readonly waiting = new Map<string, (frame: any) => void>();
  /** Frames `next` has returned, and those waiting for one. */
  private readonly taken = new WeakSet<object>();
  private readonly nextWaiters = new Set<(frame: any) => boolean>();

  private constructor(
    readonly ws: WebSocket,
    readonly uid: string,
    private readonly opts: PeerOptions,
  ) {
    // Listening from the start: the backlog can arrive in the same read as the welcome.
    ws.on('message', (data, isBinary) => this.onMessage(data.toString(), isBinary));
    ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    ws.on('error', () => undefined); // the close that follows is what tests look at
  }

  static async connect(baseUrl: string, appToken: string, uid: string, opts: PeerOptions = {}): Promise<Peer> {
    const token = opts.token ?? (await sessionTokenFor(baseUrl, appToken, uid));
    const query = new URLSearchParams({ uid, ...(opts.messaging === false ? {} : { messaging: '1' }) });
    const ws = new WebSocket(
      `${baseUrl.replace(/^http/, 'ws')}/1.0/ws?${query}`,
      ['oovoo.v1', `oovoo.token.${token}`],
      {
        origin: opts.origin ?? 'http://localhost',
      },
    );
    const peer = new Peer(ws, uid, opts);
    const welcome = waitForEvent(ws, 'message', { what: `the welcome of ${uid}`, timeoutMs: opts.timeoutMs });
    const opened = new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`socket refused: ${res.statusCode}`)));
    });
    await withDeadline(opened, { what: `the socket of ${uid} to open`, timeoutMs: opts.timeoutMs });
    await welcome;
    return peer;
  }

  private onMessage(text: string, isBinary: boolean): void {
    let frame: any;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (isBinary || typeof frame !== 'object' || frame === null || typeof frame.t !== 'string') {
      this.unreadable.push(text.slice(0, 200));
      return;
    }
    this.welcome ??= frame;
    if (this.opts.keepFrames !== false) this.frames.push(frame);
    this.counts.set(frame.t, this.count(frame.t) + 1);
    if (frame.t === 'error' && this.errors.length < 10) this.errors.push(frame);
    if (frame.t === 'ack' || frame.t === 'error' || frame.t === 'pong') {
      const key = frame.t === 'pong' ? `pong:${frame.ts}` : typeof frame.id === 'string' ? frame.id : undefined;
      const waiter = key === undefined ? undefined : this.waiting.get(key);
      if (waiter) {
        this.waiting.delete(key!);
        waiter(frame);
      } else if (frame.t === 'ack' || (frame.t === 'error' && frame.id !== undefined)) {
        this.unanswered.push(frame);
      }
    }
    if (frame.t === 'msg.deliver') {
      this.entries.push(...frame.entries);
      if (this.opts.autoReceive !== false) this.send({ t: 'msg.received', ids: frame.entries.map((e: any) => e.id) });
    }
    for (const waiter of this.nextWaiters) if (waiter(frame)) break;
    this.opts.onFrame?.(frame);
  }

  /**
   * The first frame of this type (or that `match` accepts) that `next` has not returned before,
   * whether it came already or comes within the deadline. Needs the frames kept.
   */
  next(match: string | ((frame: any) => boolean), timeoutMs = 3000): Promise<any> {
    const accepts = typeof match === 'string' ? (f: any) => f.t === match : match;
    const what = typeof match === 'string' ? `a ${match} frame` : 'a matching frame';
    const take = (frame: any): boolean => {
      if (this.taken.has(frame) || !accepts(frame)) return false;
      this.taken.add(frame);
      return true;
    };
    const already = this.frames.find(take);
    if (already) return Promise.resolve(already);
    let waiter: ((frame: any) => boolean) | undefined;
    const arrived = new Promise<any>((resolve) => {
      waiter = (frame) => {
        if (!take(frame)) return false;
        this.nextWaiters.delete(waiter!);
        resolve(frame);
        return true;
      };
      this.nextWaiters.add(waiter);
    });
    return withDeadline(arrived, { what: `${this.uid}: ${what}`, timeoutMs }).finally(() =>
      this.nextWaiters.delete(waiter!),
    );
  }

  /** How many frames of this type the server sent. */
  count(type: string): number {
    return this.counts.get(type) ?? 0;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends a request and resolves with its ack or error frame. */
  request(frame: Record<string, unknown>, timeoutMs = 15_000): Promise<any> {
    const id = `p${++this.seq}`;
    const answer = this.answerTo(id, timeoutMs, `the answer to ${String(frame.t)} ${id}`);
    this.send({ ...frame, id });
    return answer;
  }

  /** The ack or error frame answering `id`, for a frame sent after this call. */
  answerTo(id: string, timeoutMs = 15_000, what = `the answer to ${id}`): Promise<any> {
    const answer = new Promise<any>((resolve) => this.waiting.set(id, resolve));
    return withDeadline(answer, { what: `${this.uid}: ${what}`, timeoutMs }).finally(() => this.waiting.delete(id));
  }

  /**
   * A ping and its pong, timed in ms. The server answers frames in order, so the pong also says that
   * every frame sent before the ping has been handled.
   */
  async ping(timeoutMs = 10_000): Promise<number> {
    const ts = 1e15 + ++this.seq;
    const pong = this.answerTo(`pong:${ts}`, timeoutMs, `a pong to ${ts}`);
    const started = performance.now();
    this.send({ t: 'ping', ts });
    await pong;
    return performance.now() - started;
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
