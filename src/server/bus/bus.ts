import type { ConferenceRole, ServerFrame } from '../../protocol/index.js';
import type { InboxEntry } from '../store/messaging-types.js';
import { compositeKey } from '../composite-key.js';

/**
 * Where a bus message goes: every node holding a connection of a user, or one node. (A room needs
 * no topic: its owner node holds every member, those on other nodes as forwarded peers.)
 */
export type BusTopic =
  | { readonly kind: 'user'; readonly appId: string; readonly uid: string }
  | { readonly kind: 'node'; readonly node: string };

/**
 * Entries committed to one user's inbox, in seq order. Between nodes the bell comes without them
 * (`entries` absent): bells from two nodes may cross, so the receiver reads the inbox itself.
 */
export interface InboxCommitted {
  readonly t: 'inbox';
  readonly entries?: readonly InboxEntry[];
}

/**
 * A user (`from`) started or stopped typing to the topic's user: sent on to that user's messaging
 * connections, never stored (messaging/typing-fanout.ts).
 */
export interface TypingSignal {
  readonly t: 'typing';
  readonly from: string;
  readonly typing: boolean;
}

/** A frame for one connection (`peer` is its id) held by the node the message is published to. */
export interface PeerFrame {
  readonly t: 'peer.frame';
  readonly peer: string;
  readonly frame: ServerFrame;
}

/** Who a forwarded frame comes from: a connection on the member node `node`. */
export interface RemotePeerInfo {
  readonly id: string;
  readonly node: string;
  readonly appId: string;
  readonly uid: string;
  readonly role: ConferenceRole;
}

/** A client's conference frame, forwarded by the node holding its socket to the node owning the room. */
export interface ForwardedFrame {
  readonly t: 'conf.forward';
  readonly from: RemotePeerInfo;
  /** The frame as the client sent it: the owner checks it against its schema. */
  readonly frame: unknown;
}

/** The member node's connection closed: the owner treats it as a dropped member (its grace starts). */
export interface ForwardedPeerGone {
  readonly t: 'conf.peer-gone';
  readonly peer: string;
}

/** The owner lost the room (its lease went to another node): the member closes the connection so it rejoins. */
export interface PeerMoved {
  readonly t: 'peer.moved';
  readonly peer: string;
  readonly conf: string;
}

/** A question for the node it is published to (cluster/node-questions.ts); answered on the topic of `from`. */
export interface NodeQuestion {
  readonly t: 'node.ask';
  readonly id: string;
  /** The asking node. */
  readonly from: string;
  readonly kind: string;
  readonly question: unknown;
}

/** The answer to the asking node's question `id`; `error` when the node could not answer it. */
export interface NodeAnswer {
  readonly t: 'node.answer';
  readonly id: string;
  readonly answer?: unknown;
  readonly error?: string;
}

/** What each kind of topic carries. Plain JSON values only: a bus between nodes serializes them. */
export interface BusMessages {
  user: InboxCommitted | TypingSignal;
  node: PeerFrame | ForwardedFrame | ForwardedPeerGone | PeerMoved | NodeQuestion | NodeAnswer;
}

export type TopicOf<K extends BusTopic['kind']> = Extract<BusTopic, { kind: K }>;
export type BusHandler<K extends BusTopic['kind']> = (message: BusMessages[K]) => void;

/**
 * What passes between the parts of the server that do not share a connection: messaging delivery
 * publishes here and whoever holds the recipients' connections subscribes; conference frames
 * travel between a member's node and the room's owner on node topics. In-process by default;
 * Redis between nodes (`cluster/redis-bus.ts`), behind the same interface.
 */
export interface Bus {
  /** This node's name, for `node` topics. */
  readonly node: string;
  /**
   * True when the bus never leaves this process: a publish reaches the subscribers before it
   * returns, in commit order, and every room and connection is on this node.
   */
  readonly local: boolean;
  publish<K extends BusTopic['kind']>(topic: TopicOf<K>, message: BusMessages[K]): void;
  /** Publishes to one node; false when that node is not listening (it died, or lost the bus). */
  publishToNode(node: string, message: BusMessages['node']): Promise<boolean>;
  /** Returns the unsubscribe function; calling it twice is harmless. */
  subscribe<K extends BusTopic['kind']>(topic: TopicOf<K>, handler: BusHandler<K>): () => void;
  /** Resolves once publishes to the topic reach this node's subscribers (a bus between nodes subscribes over the wire). */
  whenSubscribed(topic: BusTopic): Promise<void>;
  /** Which of these nodes listen on the bus now (a node that died stops at once: its connection closed). */
  listening(nodes: readonly string[]): Promise<Set<string>>;
  /**
   * Runs after the bus came back from a break, during which publishes may have been lost (the
   * subscriptions stand again). Returns the function that stops it.
   */
  onReconnect(listener: () => void): () => void;
  close(): Promise<void>;
}

export const userTopic = (appId: string, uid: string): TopicOf<'user'> => ({ kind: 'user', appId, uid });
export const nodeTopic = (node: string): TopicOf<'node'> => ({ kind: 'node', node });

/** One string per topic (app ids, uids and conference ids may hold any character but NUL). */
export function topicKey(topic: BusTopic): string {
  switch (topic.kind) {
    case 'user':
      return compositeKey('user', topic.appId, topic.uid);
    case 'node':
      return compositeKey('node', topic.node);
  }
}
