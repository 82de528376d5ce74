import type { ErrorInfo } from '../../protocol/index.js';
import { ConnectionState } from '../enums.js';
import { OoVooError } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';

interface Pending {
  readonly frame: { readonly t: string; readonly id: string } & Record<string, unknown>;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: OoVooError) => void;
}

/**
 * Requests that must survive a dropped connection. Each keeps its frame (and so its client id)
 * until the server answers it; after every (re)connect the unanswered ones go out again, in the
 * order they were made. The server's client-id dedupe turns a resend into the first answer.
 */
export class Outbox {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly signal: () => SignalClient | undefined) {}

  get size(): number {
    return this.pending.size;
  }

  /** Queues a request; sends it now when connected. Refused at once when there is no connection to wait for. */
  request<T>(frame: Pending['frame']): Promise<T> {
    const signal = this.signal();
    if (!signal || signal.state === ConnectionState.Closed || signal.state === ConnectionState.Idle) {
      return Promise.reject(OoVooError.unspecified('Not connected: call ooVooClient.connect first.'));
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.set(frame.id, { frame, resolve: resolve as (r: unknown) => void, reject });
      signal.send(frame);
    });
  }

  /** Sends every unanswered request again, oldest first (after a welcome). */
  resend(): void {
    const signal = this.signal();
    if (!signal) return;
    for (const { frame } of this.pending.values()) if (!signal.send(frame)) return;
  }

  /** Settles the request a server `ack` or `error` frame answers; false when it is not one of ours. */
  answer(frame: { t: string; id?: unknown; result?: unknown; error?: unknown }): boolean {
    if (typeof frame.id !== 'string') return false;
    const waiting = this.pending.get(frame.id);
    if (!waiting) return false;
    this.pending.delete(frame.id);
    if (frame.t === 'ack') waiting.resolve(frame.result);
    // fromInfo checks the shape: a malformed error becomes UnspecifiedError.
    else waiting.reject(OoVooError.fromInfo(frame.error as ErrorInfo));
    return true;
  }

  /** The connection ended for good: nothing will be answered. */
  failAll(reason: string): void {
    const error = OoVooError.unspecified(reason);
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(error);
  }
}
