import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import {
  ACKNOWLEDGE_STATES,
  MessagingLimits,
  utf8Bytes,
  type AcknowledgeStateValue,
  type InboxEntryWire,
  type MsgReceiptResult,
  type MsgSendResult,
} from '../../protocol/index.js';
import { AcknowledgeState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import { randomId, requireUserId } from '../ids.js';
import type { RequestFrame } from '../signaling/requests.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { RecentIds } from './ids.js';

/** `onReciveMessage(evt)`: the spec's fields, and when the server stored it. */
export interface ReceivedMessage {
  readonly from: string;
  readonly body: string;
  readonly msg_id: string;
  readonly ts: number;
}

/** `onReciveAcknowledgement(evt)`. */
export interface ReceivedAcknowledgement {
  readonly from: string;
  readonly msg_id: string;
  readonly state: AcknowledgeStateValue;
}

export interface MessagingEvents {
  message(evt: ReceivedMessage): void;
  acknowledgement(evt: ReceivedAcknowledgement): void;
}

export interface SendParams {
  /** Recipients' user ids (numbers are accepted, as the spec's samples pass them). */
  to: ReadonlyArray<string | number> | string | number;
  body: string;
}

export interface AcknowledgementParams {
  to: ReadonlyArray<string | number> | string | number;
  msg_id: string;
  state: AcknowledgeStateValue;
}

/** How many delivered ids the duplicate filter remembers. */
const RECENT_IDS = 50_000;

/** `to` as the spec takes it (one id or a list, strings or numbers), each trimmed. Also used by Push. */
export function userIds(value: SendParams['to']): string[] {
  const list = Array.isArray(value) ? (value as ReadonlyArray<unknown>) : [value];
  return list.map((v) => requireUserId(v, 'to'));
}

function isEntry(value: unknown): value is InboxEntryWire {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  if (typeof e.id !== 'string' || typeof e.msg_id !== 'string' || typeof e.from !== 'string') return false;
  if (e.kind === 'message') return typeof e.body === 'string';
  return e.kind === 'receipt' && (ACKNOWLEDGE_STATES as readonly unknown[]).includes(e.state);
}

/**
 * `ooVooClient.Messaging`: durable 1:1 and group text with Delivered/Read receipts.
 *
 * Sends are durable requests of the signal client: retried with the same client id after a
 * reconnect, so a message is stored once however often the connection drops. Received entries reach the app
 * once each (duplicates are dropped by id) and are acknowledged to the server only after a
 * handler took them; entries that arrive before any handler is set wait for one.
 */
export class Messaging {
  readonly AcknowledgeState = AcknowledgeState;
  /** Typed events beside the spec's handler properties: `Messaging.events.on('message', fn)`. */
  readonly events: Emitter<MessagingEvents> = createNanoEvents<MessagingEvents>();

  private signal: SignalClient | undefined;
  private unbind: Unsubscribe[] = [];
  private unanswered = 0;
  private readonly seen = new RecentIds(RECENT_IDS);
  /** Entries that came before a handler for their kind was set, by id. */
  private readonly held = new Map<string, InboxEntryWire>();
  private toAcknowledge: string[] = [];
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private messageHandler: ((evt: ReceivedMessage) => void) | undefined;
  private acknowledgementHandler: ((evt: ReceivedAcknowledgement) => void) | undefined;

  constructor() {
    this.send = this.send.bind(this);
    this.sendAcknowledgement = this.sendAcknowledgement.bind(this);
  }

  /** The spec's spelling. */
  get onReciveMessage(): ((evt: ReceivedMessage) => void) | undefined {
    return this.messageHandler;
  }
  set onReciveMessage(handler: ((evt: ReceivedMessage) => void) | undefined) {
    this.messageHandler = typeof handler === 'function' ? handler : undefined;
    this.releaseHeld();
  }
  get onReceiveMessage(): ((evt: ReceivedMessage) => void) | undefined {
    return this.onReciveMessage;
  }
  set onReceiveMessage(handler: ((evt: ReceivedMessage) => void) | undefined) {
    this.onReciveMessage = handler;
  }

  /** The spec's spelling. */
  get onReciveAcknowledgement(): ((evt: ReceivedAcknowledgement) => void) | undefined {
    return this.acknowledgementHandler;
  }
  set onReciveAcknowledgement(handler: ((evt: ReceivedAcknowledgement) => void) | undefined) {
    this.acknowledgementHandler = typeof handler === 'function' ? handler : undefined;
    this.releaseHeld();
  }
  get onReceiveAcknowledgement(): ((evt: ReceivedAcknowledgement) => void) | undefined {
    return this.onReciveAcknowledgement;
  }
  set onReceiveAcknowledgement(handler: ((evt: ReceivedAcknowledgement) => void) | undefined) {
    this.onReciveAcknowledgement = handler;
  }

  /** Requests not yet answered by the server (they are retried after a reconnect). */
  get unacknowledgedSends(): number {
    return this.unanswered;
  }

  /**
   * The spec's `send({ to, body }, cb)`: cb gets `{ msg_id, delivered, offline }` once the server
   * stored the message, or `{ error }`. Also returns a Promise of the same result.
   */
  send(params: SendParams, cb?: ResultCallback<MsgSendResult>): Promise<MsgSendResult> {
    return settle(this.sendNow(params), cb);
  }

  /** The spec's `sendAcknowledgement({ to, msg_id, state }, cb)`. */
  sendAcknowledgement(params: AcknowledgementParams, cb?: ResultCallback<MsgReceiptResult>): Promise<MsgReceiptResult> {
    return settle(this.acknowledgeNow(params), cb);
  }

  private async sendNow(params: SendParams): Promise<MsgSendResult> {
    if (typeof params !== 'object' || params === null) throw OoVooError.badRequest('send needs { to, body }.');
    const to = userIds(params.to);
    if (to.length === 0 || to.length > MessagingLimits.maxRecipients) {
      throw OoVooError.badRequest(`to must name 1 to ${MessagingLimits.maxRecipients} users.`);
    }
    if (typeof params.body !== 'string' || params.body.length === 0)
      throw OoVooError.badRequest('body must be a non-empty string.');
    if (utf8Bytes(params.body) > MessagingLimits.maxBodyBytes) {
      throw OoVooError.badRequest(`body must be at most ${MessagingLimits.maxBodyBytes} bytes.`);
    }
    const cid = randomId();
    return this.durable<MsgSendResult>({ t: 'msg.send', cid, to, body: params.body });
  }

  private async acknowledgeNow(params: AcknowledgementParams): Promise<MsgReceiptResult> {
    if (typeof params !== 'object' || params === null)
      throw OoVooError.badRequest('sendAcknowledgement needs { to, msg_id, state }.');
    const to = userIds(params.to);
    if (typeof params.msg_id !== 'string' || params.msg_id.length === 0)
      throw OoVooError.badRequest('msg_id is required.');
    if (!(ACKNOWLEDGE_STATES as readonly unknown[]).includes(params.state)) {
      throw OoVooError.badRequest('state must be ooVooClient.Messaging.AcknowledgeState.Delivered or .Read.');
    }
    // A repeated receipt is harmless: the server forwards each state once.
    return this.durable<MsgReceiptResult>({ t: 'msg.receipt', to, msg_id: params.msg_id, state: params.state });
  }

  private async durable<T>(frame: RequestFrame): Promise<T> {
    if (!this.signal) throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
    this.unanswered++;
    try {
      return await this.signal.request<T>(frame, { durable: true });
    } finally {
      this.unanswered--;
    }
  }

  /** @internal Called by OoVooClient for each new connection. */
  attach(signal: SignalClient): void {
    for (const off of this.unbind) off();
    // Requests of a replaced connection are failed by its close().
    this.signal = signal;
    this.unbind = [
      signal.events.on('frame', (frame) => {
        if (frame.t === 'msg.deliver' && Array.isArray(frame.entries))
          for (const entry of frame.entries as unknown[]) if (isEntry(entry)) this.take(entry);
      }),
    ];
  }

  private take(entry: InboxEntryWire): void {
    if (this.seen.has(entry.id)) {
      // Already with the app: only tell the server again.
      this.acknowledgeToServer(entry.id);
      return;
    }
    if (this.held.size > 0 || !this.hasConsumer(entry)) {
      this.held.set(entry.id, entry);
      this.releaseHeld();
      return;
    }
    this.handOver(entry);
  }

  private hasConsumer(entry: InboxEntryWire): boolean {
    return entry.kind === 'message'
      ? this.messageHandler !== undefined || (this.events.events.message?.length ?? 0) > 0
      : this.acknowledgementHandler !== undefined || (this.events.events.acknowledgement?.length ?? 0) > 0;
  }

  /** Hands waiting entries, in order, to the handlers now set; after the code that set them ran. */
  private releaseHeld(): void {
    if (this.held.size === 0) return;
    queueMicrotask(() => {
      for (const [id, entry] of this.held) {
        if (!this.hasConsumer(entry)) continue;
        this.held.delete(id);
        if (!this.seen.has(id)) this.handOver(entry);
      }
    });
  }

  private handOver(entry: InboxEntryWire): void {
    this.seen.add(entry.id);
    try {
      if (entry.kind === 'message') {
        const evt: ReceivedMessage = { from: entry.from, body: entry.body, msg_id: entry.msg_id, ts: entry.ts };
        this.events.emit('message', evt);
        this.messageHandler?.(evt);
      } else {
        const evt: ReceivedAcknowledgement = { from: entry.from, msg_id: entry.msg_id, state: entry.state };
        this.events.emit('acknowledgement', evt);
        this.acknowledgementHandler?.(evt);
      }
    } catch (e) {
      // The app's handler threw: the entry was still handed over; report it as the browser would.
      queueMicrotask(() => {
        throw e;
      });
    }
    this.acknowledgeToServer(entry.id);
  }

  /** Batches `msg.received`; one that is lost with a drop only means the server sends the entry again. */
  private acknowledgeToServer(id: string): void {
    this.toAcknowledge.push(id);
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined;
      const ids = this.toAcknowledge;
      this.toAcknowledge = [];
      for (let i = 0; i < ids.length; i += MessagingLimits.maxReceivedIds) {
        this.signal?.send({ t: 'msg.received', ids: ids.slice(i, i + MessagingLimits.maxReceivedIds) });
      }
    }, 0);
  }
}
