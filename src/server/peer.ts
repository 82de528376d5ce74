import type { ConferenceRole, ServerFrame } from '../protocol/index.js';

/**
 * Someone on the other end of the server's frames: what rooms and deliveries hold instead of a
 * socket. A WebSocket connection on this node is one kind of peer; a connection on another node,
 * reached through the bus, will be another.
 */
export interface Peer {
  /** Unique per connection, stable for its life. */
  readonly id: string;
  readonly appId: string;
  readonly uid: string;
  /** The role its session token grants in conferences. */
  readonly role: ConferenceRole;
  /** Queues a frame for the peer; false when it was not queued (closed, or dropped for a slow reader). */
  send(frame: ServerFrame): boolean;
}
