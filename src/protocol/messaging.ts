/**
 * Messaging and push frames, shared by the server (which validates every client frame against
 * these schemas) and the SDK (which builds them). Requests carry an `id` and are answered with
 * `{ t: 'ack', id, result }` or `{ t: 'error', id, error }`.
 */
import { Limits } from './constants.js';
import { messageFiles, type FileInfo } from './files.js';
import { SchemaError, arrayOf, literal, num, object, oneOf, optional, str, type Check } from './schema.js';

export const MessagingLimits = {
  /** Largest message body, in UTF-8 bytes (the spec's -40000 beyond it). */
  maxBodyBytes: 4096,
  /** Most recipients of one send. */
  maxRecipients: 100,
  /** Most inbox entries in one `msg.deliver` frame. */
  pageSize: 100,
  /** Most entry ids in one `msg.received` frame. */
  maxReceivedIds: 500,
  /** Longest client message id (the SDK's retry key). */
  maxClientIdLength: 64,
  /** `Push.send`: body and property together, in UTF-8 bytes. */
  maxPushBytes: 1024,
  /** Longest push endpoint URL. */
  maxEndpointLength: 2048,
} as const;

/** The spec's `ooVooClient.Messaging.AcknowledgeState` values, as they travel. */
export const ACKNOWLEDGE_STATES = ['Delivered', 'Read'] as const;
export type AcknowledgeStateValue = (typeof ACKNOWLEDGE_STATES)[number];

/** UTF-8 length of a string (a lone surrogate counts as the 3 bytes of U+FFFD, as TextEncoder writes it). */
export function utf8Bytes(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/* @__NO_SIDE_EFFECTS__ */
function text(maxBytes: number, opts: { min?: number } = {}): Check<string> {
  const base = str({ min: opts.min ?? 0 });
  return (v, path) => {
    const s = base(v, path);
    if (utf8Bytes(s) > maxBytes) throw new SchemaError(path, `must be at most ${maxBytes} bytes`);
    return s;
  };
}

const uid = str({ min: 1, max: Limits.maxUserIdLength });
const recipients = arrayOf(uid, { min: 1, max: MessagingLimits.maxRecipients });
const requestId = str({ min: 1, max: 64 });
const base64url = (maxLength: number) => str({ min: 1, max: maxLength, pattern: /^[A-Za-z0-9_-]+=*$/ });
const nullableNumber: Check<number | null> = (v, path) => (v === null ? null : num({ min: 0 })(v, path));

/** `Messaging.send`: `cid` makes a retry idempotent. `from` and `app`, when given, must be the sender's own. */
export const msgSendFrame = object({
  t: literal('msg.send'),
  id: requestId,
  cid: optional(str({ min: 1, max: MessagingLimits.maxClientIdLength })),
  to: recipients,
  body: text(MessagingLimits.maxBodyBytes, { min: 1 }),
  from: optional(uid),
  app: optional(str({ min: 1, max: 64 })),
  /** Files uploaded to this conversation (files.ts): each the sender's own, sent with no other message. */
  files: messageFiles,
});
export type MsgSendFrame = ReturnType<typeof msgSendFrame>;

/** `Messaging.sendAcknowledgement`: a Delivered or Read receipt for a message this user received. */
export const msgReceiptFrame = object({
  t: literal('msg.receipt'),
  id: requestId,
  to: recipients,
  msg_id: str({ min: 1, max: 64 }),
  state: oneOf(ACKNOWLEDGE_STATES),
});
export type MsgReceiptFrame = ReturnType<typeof msgReceiptFrame>;

/** The recipient's client took these inbox entries: they leave its pending set. */
export const msgReceivedFrame = object({
  t: literal('msg.received'),
  id: optional(requestId),
  ids: arrayOf(str({ min: 1, max: 400 }), { min: 1, max: MessagingLimits.maxReceivedIds }),
});
export type MsgReceivedFrame = ReturnType<typeof msgReceivedFrame>;

export const pushKeyFrame = object({ t: literal('push.key'), id: requestId });

/** A browser's PushSubscription.toJSON(). */
export const pushSubscriptionShape = object({
  endpoint: str({ min: 1, max: MessagingLimits.maxEndpointLength }),
  expirationTime: optional(nullableNumber),
  keys: object({ p256dh: base64url(128), auth: base64url(64) }),
});
export type PushSubscriptionJson = ReturnType<typeof pushSubscriptionShape>;

export const pushRegisterFrame = object({
  t: literal('push.register'),
  id: requestId,
  subscription: pushSubscriptionShape,
});
export const pushUnregisterFrame = object({
  t: literal('push.unregister'),
  id: requestId,
  endpoint: str({ min: 1, max: MessagingLimits.maxEndpointLength }),
});

/** `Push.send`: body and property together at most 1 KB (checked by the server, which knows both). */
export const pushSendFrame = object({
  t: literal('push.send'),
  id: requestId,
  to: recipients,
  body: text(MessagingLimits.maxPushBytes, { min: 1 }),
  property: optional(text(MessagingLimits.maxPushBytes)),
});
export type PushSendFrame = ReturnType<typeof pushSendFrame>;

/** One entry of a recipient's inbox, as delivered. `id` is what the client acknowledges and dedupes by. */
export type InboxEntryWire =
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly msg_id: string;
      readonly from: string;
      readonly body: string;
      readonly ts: number;
      /** The files the message carries, as the server knows them (files.ts). */
      readonly files?: readonly FileInfo[];
    }
  | {
      readonly kind: 'receipt';
      readonly id: string;
      readonly msg_id: string;
      readonly from: string;
      readonly state: AcknowledgeStateValue;
      readonly ts: number;
    }
  | {
      /** `from` deleted message `msg_id` for everyone (history.ts). */
      readonly kind: 'deleted';
      readonly id: string;
      readonly msg_id: string;
      readonly from: string;
      readonly ts: number;
    };

/** Server → client: inbox entries in stored order, at most `MessagingLimits.pageSize` a frame. */
export interface MsgDeliverFrame {
  readonly t: 'msg.deliver';
  readonly entries: readonly InboxEntryWire[];
}

/** The result of `msg.send`: recipients with a messaging connection now, and the others. */
export interface MsgSendResult {
  readonly msg_id: string;
  readonly delivered: string[];
  readonly offline: string[];
}

export interface MsgReceiptResult {
  readonly msg_id: string;
  readonly state: AcknowledgeStateValue;
}

/** The spec's `Push.send` result: 0 is success. */
export interface PushSendResult {
  readonly result: 0;
}

export interface PushKeyResult {
  /** The VAPID public key (base64url), the browser's `applicationServerKey`. */
  readonly publicKey: string;
}

/** What a push carries (JSON, encrypted to the subscription). */
export type PushPayload =
  | {
      readonly type: 'push';
      readonly app: string;
      readonly from: string;
      readonly body: string;
      readonly property?: string;
    }
  | {
      readonly type: 'message';
      readonly app: string;
      readonly from: string;
      readonly body: string;
      readonly msg_id: string;
    };

/** A rate-limited request's error carries how long to wait. */
export interface RetryAfter {
  readonly retryAfterMs: number;
}
