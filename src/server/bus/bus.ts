import type { ServerFrame } from '../../protocol/index.js';
import type { InboxEntry } from '../store/messaging-types.js';
import { compositeKey } from '../composite-key.js';

/** Where a bus message goes: every node holding a connection of a user, a member of a room, or one node. */
export type BusTopic =
  | { readonly kind: 'user'; readonly appId: string; readonly uid: string }
  | { readonly kind: 'room'; readonly appId: string; readonly conf: string }
  | { readonly kind: 'node'; readonly node: string };

/** Entries committed to one user's inbox, in seq order. */
export interface InboxCommitted {
  readonly t: 'inbox';
  readonly entries: readonly InboxEntry[];
}

/** A conference frame for every member of the room except `except` (a uid). */
export interface RoomFrame {
  readonly t: 'room.frame';
  readonly frame: ServerFrame;
  readonly except?: string;
}

/** A frame for one connection (`peer` is its id) held by the node the message is published to. */
export interface PeerFrame {
  readonly t: 'peer.frame';
  readonly peer: string;
  readonly frame: ServerFrame;
}

/** What each kind of topic carries. Plain JSON values only: a bus between nodes serializes them. */
export interface BusMessages {
  user: InboxCommitted;
  room: RoomFrame;
  node: PeerFrame;
}

export type TopicOf<K extends BusTopic['kind']> = Extract<BusTopic, { kind: K }>;
export type BusHandler<K extends BusTopic['kind']> = (message: BusMessages[K]) => void;

/**
 * What passes between the parts of the server that do not share a connection: messaging delivery
 * and conference relay publish here, and whoever holds the recipients' connections subscribes.
 * In-process by default; Redis between nodes later, behind the same interface.
 */
export interface Bus {
  /** This node's name, for `node` topics. */
  readonly node: string;
  publish<K extends BusTopic['kind']>(topic: TopicOf<K>, message: BusMessages[K]): void;
  /** Returns the unsubscribe function; calling it twice is harmless. */
  subscribe<K extends BusTopic['kind']>(topic: TopicOf<K>, handler: BusHandler<K>): () => void;
  close(): Promise<void>;
}

export const userTopic = (appId: string, uid: string): TopicOf<'user'> => ({ kind: 'user', appId, uid });
export const roomTopic = (appId: string, conf: string): TopicOf<'room'> => ({ kind: 'room', appId, conf });
export const nodeTopic = (node: string): TopicOf<'node'> => ({ kind: 'node', node });

/** One string per topic (app ids, uids and conference ids may hold any character but NUL). */
export function topicKey(topic: BusTopic): string {
  switch (topic.kind) {
    case 'user':
      return compositeKey('user', topic.appId, topic.uid);
    case 'room':
      return compositeKey('room', topic.appId, topic.conf);
    case 'node':
      return compositeKey('node', topic.node);
  }
}
