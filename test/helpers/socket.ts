import WebSocket from 'ws';

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
        // Give a wrongly opened socket a moment to show itself.
        setTimeout(() => resolve({ kind: 'refused', status: res.statusCode ?? 0, body, opened }), 20);
      });
    });
    ws.on('error', (e) => reject(e));
  });
}

/** Resolves with the close code and reason of a socket. */
export function waitForClose(ws: WebSocket, timeoutMs = 3000): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error('socket already closed'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}
