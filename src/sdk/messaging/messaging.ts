import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import type { AcknowledgeStateValue, MsgReceiptResult, MsgSendResult } from '../../protocol/index.js';
import { AcknowledgeState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { loadMessagingExtras } from './load-messaging-extras.js';
import type { MessagingInbox } from './messaging-inbox.js';

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

/** What the inbox (messaging-inbox.ts) reads of `ooVooClient.Messaging`. */
export interface MessagingHost {
  readonly events: Emitter<MessagingEvents>;
  readonly onReciveMessage: ((evt: ReceivedMessage) => void) | undefined;
  readonly onReciveAcknowledgement: ((evt: ReceivedAcknowledgement) => void) | undefined;
  signal(): SignalClient | undefined;
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
  /** The inbox once its code is loaded; deliveries wait in `early` meanwhile. */
  private inbox: MessagingInbox | undefined;
  private loading: Promise<MessagingInbox> | undefined;
  private early: unknown[] = [];
  /** Sends and receipts that wait for the inbox's code. */
  private waiting = 0;
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
    this.inbox?.releaseHeld();
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
    this.inbox?.releaseHeld();
  }
  get onReceiveAcknowledgement(): ((evt: ReceivedAcknowledgement) => void) | undefined {
    return this.onReciveAcknowledgement;
  }
  set onReceiveAcknowledgement(handler: ((evt: ReceivedAcknowledgement) => void) | undefined) {
    this.onReciveAcknowledgement = handler;
  }

  /** Requests not yet answered by the server (they are retried after a reconnect). */
  get unacknowledgedSends(): number {
    return this.waiting + (this.inbox?.unanswered ?? 0);
  }

  /**
   * The spec's `send({ to, body }, cb)`: cb gets `{ msg_id, delivered, offline }` once the server
   * stored the message, or `{ error }`. Also returns a Promise of the same result.
   */
  send(params: SendParams, cb?: ResultCallback<MsgSendResult>): Promise<MsgSendResult> {
    return settle(
      this.whenLoaded((inbox) => inbox.send(params)),
      cb,
    );
  }

  /** The spec's `sendAcknowledgement({ to, msg_id, state }, cb)`. */
  sendAcknowledgement(params: AcknowledgementParams, cb?: ResultCallback<MsgReceiptResult>): Promise<MsgReceiptResult> {
    return settle(
      this.whenLoaded((inbox) => inbox.acknowledge(params)),
      cb,
    );
  }

  /** Runs `request` once the inbox is there; counted as unanswered meanwhile. */
  private async whenLoaded<T>(request: (inbox: MessagingInbox) => Promise<T>): Promise<T> {
    this.waiting++;
    let inbox: MessagingInbox;
    try {
      inbox = await this.work();
    } finally {
      this.waiting--;
    }
    return request(inbox);
  }

  /** The inbox, its code loaded on first use; a failed load is tried again next time. */
  private work(): Promise<MessagingInbox> {
    return (this.loading ??= loadMessagingExtras().then(
      ({ MessagingInbox }) => {
        const inbox = (this.inbox = new MessagingInbox(this.host));
        for (const entries of this.early.splice(0)) inbox.deliver(entries);
        return inbox;
      },
      (e: unknown) => {
        this.loading = undefined;
        throw OoVooError.unspecified(`Messaging could not load: ${e}`);
      },
    ));
  }

  /** What the inbox reads: the handlers as they are set now, and the connection now. */
  private readonly host: MessagingHost = ((messaging) => ({
    events: messaging.events,
    get onReciveMessage() {
      return messaging.messageHandler;
    },
    get onReciveAcknowledgement() {
      return messaging.acknowledgementHandler;
    },
    signal: () => messaging.signal,
  }))(this);

  /** @internal Called by OoVooClient for each new connection. */
  attach(signal: SignalClient): void {
    for (const off of this.unbind) off();
    // Requests of a replaced connection are failed by its close().
    this.signal = signal;
    this.unbind = [
      signal.events.on('frame', (frame) => {
        if (frame.t !== 'msg.deliver') return;
        if (this.inbox) this.inbox.deliver(frame.entries);
        else {
          this.early.push(frame.entries);
          void this.work().catch(() => undefined);
        }
      }),
    ];
  }
}
