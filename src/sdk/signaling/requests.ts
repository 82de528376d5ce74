import type { AckFrame, ErrorFrame } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';

/** How one request travels. */
export interface RequestOptions {
  /**
   * Survives a dropped connection: queued while reconnecting and sent again, with the same id,
   * once the connection is back (after its resume steps), oldest first, until answered or closed.
   * Without it a request fails at once when not connected, and when the connection drops.
   */
  readonly durable?: boolean;
  /** Milliseconds to wait for an answer once sent (not durable requests; default 10 s). */
  readonly timeoutMs?: number;
  /** Asked before a durable request goes out again: false drops it (it rejects). */
  readonly keep?: () => boolean;
}

/** A client frame before the request path gives it an `id`. */
export type RequestFrame = { readonly t: string } & Record<string, unknown>;

interface Pending {
  readonly frame: RequestFrame & { readonly id: string };
  readonly options: RequestOptions;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: OoVooError) => void;
  timer?: ReturnType<typeof setTimeout>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The one request path of the signal client: gives each request an id, settles it with the
 * server's `ack` or `error` of that id, and keeps durable requests across reconnects.
 */
export class Requests {
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  /** Durable requests waiting for the connection, oldest first. */
  private queue: Pending[] = [];
  /** Whether durable requests may go out now (connected, and resumed). */
  private open = false;

  /** `transmit` sends a frame on the socket, or returns false when not connected. */
  constructor(private readonly transmit: (frame: object) => boolean) {}

  add<T>(frame: RequestFrame, options: RequestOptions): Promise<T> {
    const id = `r${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { frame: { ...frame, id }, options, resolve: resolve as (r: unknown) => void, reject };
      if (options.durable) {
        this.pending.set(id, p);
        this.queue.push(p);
        if (this.open && this.queue.length === 1) this.release();
        return;
      }
      if (!this.transmit(p.frame)) {
        reject(OoVooError.unspecified('Not connected to the server.'));
        return;
      }
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      p.timer = setTimeout(() => {
        this.pending.delete(id);
        reject(OoVooError.unspecified(`No answer to ${frame.t} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(id, p);
    });
  }

  /** Settles the request an `ack` or `error` answers; false when it answers none of ours. */
  settle(frame: AckFrame | ErrorFrame): boolean {
    const p = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (!p) return false;
    this.pending.delete(p.frame.id);
    clearTimeout(p.timer);
    if (frame.t === 'ack') p.resolve(frame.result);
    else p.reject(OoVooError.fromInfo(frame.error));
    return true;
  }

  /** The socket dropped: answers to what was sent on it will never come. Durable requests wait to go again. */
  dropped(reason: string): void {
    this.open = false;
    for (const p of this.pending.values()) if (!p.options.durable) this.remove(p, reason);
    this.queue = [...this.pending.values()];
  }

  /** The connection is ready: send the waiting durable requests, oldest first. */
  release(): void {
    this.open = true;
    while (this.queue.length > 0) {
      const p = this.queue[0]!;
      if (p.options.keep && !p.options.keep()) {
        this.remove(p, `${p.frame.t} is no longer wanted.`);
      } else if (!this.transmit(p.frame)) {
        this.open = false;
        return;
      }
      this.queue.shift();
    }
  }

  /** The connection ended for good: nothing will be answered. */
  failAll(reason: string): void {
    this.open = false;
    this.queue = [];
    for (const p of this.pending.values()) this.remove(p, reason);
  }

  private remove(p: Pending, reason: string): void {
    this.pending.delete(p.frame.id);
    clearTimeout(p.timer);
    p.reject(OoVooError.unspecified(reason));
  }
}
