import type { ErrorInfo } from './errors.js';
import type { Environment } from './constants.js';
import type { ConferenceServerFrame } from './conference.js';
import type { MsgDeliverFrame } from './messaging.js';
import type { MsgTypingServerFrame } from './typing.js';

/** Frames the server sends. Every frame is one JSON object with a `t` (type) field. */
export interface WelcomeFrame {
  readonly t: 'welcome';
  readonly uid: string;
  readonly app: string;
  readonly env: Environment;
  readonly connectionId: string;
  readonly messaging: boolean;
  /** How often the server pings, and how long it waits for a pong, in milliseconds. */
  readonly pingInterval: number;
  readonly pingTimeout: number;
  /** Session token expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export interface PingFrame {
  readonly t: 'ping';
  readonly ts: number;
}

export interface PongFrame {
  readonly t: 'pong';
  readonly ts: number;
}

export interface ErrorFrame {
  readonly t: 'error';
  /** The id of the request frame this answers, when there is one. */
  readonly id?: string;
  readonly error: ErrorInfo;
}

/**
 * Frames a feature module receives: every server frame but the connection's own (welcome, ping,
 * pong) and the answers to requests (ack, error), which the signal client settles itself.
 * Push has no frames of its own: its requests are answered by acks.
 */
export type FeatureFrame = ConferenceServerFrame | MsgDeliverFrame | MsgTypingServerFrame;

/** Every frame the server sends, told apart by `t`. */
export type ServerFrame = WelcomeFrame | PingFrame | PongFrame | ErrorFrame | AckFrame | FeatureFrame;
export type ClientFrame = PingFrame | PongFrame;

/** Reads a session token from a `Sec-WebSocket-Protocol` list. */
export function tokenFromProtocols(protocols: Iterable<string>, prefix: string): string | undefined {
  for (const p of protocols) {
    if (p.startsWith(prefix)) return p.slice(prefix.length);
  }
  return undefined;
}

/** The answer to a client frame that carried an `id`: success, with whatever the operation returns. */
export interface AckFrame {
  readonly t: 'ack';
  readonly id: string;
  readonly result?: unknown;
}

/** Any frame: every one is a JSON object with a string `t`; requests carry a string `id`. */
export interface AnyFrame {
  readonly t: string;
  readonly id?: string;
  readonly [key: string]: unknown;
}

/** Longest request id a client may use. */
export const MAX_FRAME_ID_LENGTH = 64;
