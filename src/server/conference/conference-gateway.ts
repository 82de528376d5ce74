import { CloseCode } from '../../protocol/index.js';
import { nodeTopic, type Bus, type BusMessages, type RemotePeerInfo } from '../bus/index.js';
import type { RoomLeases } from '../cluster/room-leases.js';
import { compositeKey } from '../composite-key.js';
import type { ClientConnection } from '../connections.js';
import type { Peer } from '../peer.js';
import { RemotePeer, type ConferenceRouter } from './conference-router.js';

/** How often the nodes at the other end of forwarded frames are checked for life. */
const WATCH_MS = 1000;

type LogError = (error: unknown, message: string) => void;

interface OwnedRooms {
  /** The local members of a room, to close (so that they rejoin) when the room moves. */
  peersOf(appId: string, conf: string): Peer[];
}

/** One room as a node holding some of its members' sockets sees it: where its owner is, and who is here. */
interface ForwardedRoom {
  readonly owner: string;
  readonly connections: Set<ClientConnection>;
}

/**
 * Between server nodes, each conference lives on one node, its owner (a lease in Redis, taken by
 * the node that saw the room's first frame). A socket may land on any node: its conference frames
 * go to the owner over the bus, where the room sees it as a {@link RemotePeer}, and the owner's
 * answers come back the same way. When a node dies, the others find it gone on the bus: the
 * owner's member nodes close their members' sockets, whose clients reconnect and rejoin, which
 * rebuilds the room on a live node; an owner drops a dead member node's peers as dropped sockets
 * (their grace period starts, and they come back through another node).
 *
 * On a single node (in-process bus) every frame goes straight to the conference's router.
 */
export class ConferenceGateway {
  /** Rooms whose owner is another node, by room key. */
  private readonly forwarded = new Map<string, ForwardedRoom>();
  /** This node's sockets that forwarded frames, by id: where the owners' answers go. */
  private readonly forwarders = new Map<string, ClientConnection>();
  /** Frames of a socket waiting while the owner of its room is looked up (they keep their order). */
  private readonly waiting = new Map<ClientConnection, unknown[]>();
  /** Members on other nodes of the rooms this node owns, by peer id. */
  private readonly remotePeers = new Map<string, RemotePeer>();
  /** Their frames waiting while this node claims a room again. */
  private readonly remoteWaiting = new Map<RemotePeer, unknown[]>();
  private readonly watch: NodeJS.Timeout | undefined;

  constructor(
    private readonly router: ConferenceRouter,
    private readonly bus: Bus,
    private readonly leases: RoomLeases | undefined,
    private readonly rooms: OwnedRooms,
    private readonly logError: LogError,
  ) {
    if (!leases) return;
    bus.subscribe(nodeTopic(bus.node), (m) => this.onNodeMessage(m));
    leases.onLost((key) => this.roomLost(key));
    this.watch = setInterval(() => void this.checkNodes(), WATCH_MS);
    this.watch.unref();
  }

  /** A conference frame from a socket on this node. */
  dispatch(connection: ClientConnection, value: Record<string, unknown>): void {
    if (!this.leases || typeof value.conf !== 'string') {
      void this.router.dispatch(connection, value);
      return;
    }
    const queue = this.waiting.get(connection);
    if (queue) {
      queue.push(value);
      return;
    }
    const key = compositeKey(connection.appId, value.conf);
    if (this.leases.owns(key)) void this.router.dispatch(connection, value);
    else if (this.forwarded.has(key)) this.forward(connection, key, value);
    else {
      this.waiting.set(connection, [value]);
      void this.resolve(key).then((owner) => this.release(connection, key, owner));
    }
  }

  /** A socket of this node closed. */
  closed(connection: ClientConnection): void {
    this.router.closed(connection);
    this.waiting.delete(connection);
    if (!this.forwarders.delete(connection.id)) return;
    const owners = new Set<string>();
    for (const [key, room] of this.forwarded) {
      if (!room.connections.delete(connection)) continue;
      owners.add(room.owner);
      if (room.connections.size === 0) this.forwarded.delete(key);
    }
    for (const owner of owners)
      void this.bus.publishToNode(owner, { t: 'conf.peer-gone', peer: connection.id }).catch(this.logPublish);
  }

  /** The last member left a room this node owns: the next frame for it may take it anywhere. */
  roomClosed(appId: string, conf: string): void {
    this.leases?.release(compositeKey(appId, conf));
  }

  stop(): void {
    clearInterval(this.watch);
  }

  /** The room's owner after claiming it (this node if free, or taking it from a node found gone). */
  private async resolve(key: string): Promise<string | undefined> {
    const leases = this.leases!;
    try {
      let owner = await leases.claim(key);
      if (owner !== this.bus.node && !(await this.bus.listening([owner])).has(owner))
        owner = await leases.takeOver(key, owner);
      return owner;
    } catch (e) {
      this.logError(e, 'finding the owner of a conference failed');
      return undefined;
    }
  }

  /** Sends a socket's waiting frames on, in order, now that its room's owner is known (undefined: it is not). */
  private release(connection: ClientConnection, key: string, owner: string | undefined): void {
    const queue = this.waiting.get(connection) ?? [];
    this.waiting.delete(connection);
    if (owner === undefined) {
      // Redis did not answer: the client retries after reconnecting.
      connection.close(CloseCode.ServiceRestart, 'conference service unavailable');
      return;
    }
    if (owner !== this.bus.node && !this.forwarded.has(key)) this.forwarded.set(key, { owner, connections: new Set() });
    for (const value of queue) this.dispatch(connection, value as Record<string, unknown>);
  }

  private forward(connection: ClientConnection, key: string, value: Record<string, unknown>): void {
    const room = this.forwarded.get(key)!;
    room.connections.add(connection);
    this.forwarders.set(connection.id, connection);
    const from: RemotePeerInfo = {
      id: connection.id,
      node: this.bus.node,
      appId: connection.appId,
      uid: connection.uid,
      role: connection.role,
    };
    this.bus
      .publishToNode(room.owner, { t: 'conf.forward', from, frame: value })
      .then((heard) => heard || this.forwardLost(connection, room, value), this.logPublish);
  }

  /**
   * Nobody heard a forwarded frame: the owner died. A join (most often the rejoin of a client that
   * was on it) goes to the room's next owner rather than being lost, which would cost that client
   * one more reconnect; the room's other members here reconnect.
   */
  private forwardLost(connection: ClientConnection, room: ForwardedRoom, value: Record<string, unknown>): void {
    const join = value.t === 'conf.join';
    if (join) room.connections.delete(connection);
    this.ownerGone(room.owner);
    if (join && connection.socket.readyState === connection.socket.OPEN) this.dispatch(connection, value);
  }

  /** The owner of these rooms died: their members here reconnect, and their rejoin rebuilds each room. */
  private ownerGone(owner: string): void {
    for (const [key, room] of this.forwarded) {
      if (room.owner !== owner) continue;
      this.forwarded.delete(key);
      for (const connection of room.connections) connection.close(CloseCode.ServiceRestart, 'conference moved');
    }
  }

  /** This node lost a room's lease (it was cut off from Redis too long): its members rejoin where it went. */
  private roomLost(key: string): void {
    const [appId = '', conf = ''] = key.split('\u0000');
    for (const peer of this.rooms.peersOf(appId, conf)) this.moveOut(peer, conf);
  }

  private moveOut(peer: Peer, conf: string): void {
    if (peer instanceof RemotePeer) {
      void this.bus.publishToNode(peer.node, { t: 'peer.moved', peer: peer.id, conf }).catch(this.logPublish);
    } else (peer as ClientConnection).close(CloseCode.ServiceRestart, 'conference moved');
  }

  private onNodeMessage(message: BusMessages['node']): void {
    switch (message.t) {
      case 'peer.frame':
        this.forwarders.get(message.peer)?.send(message.frame);
        return;
      case 'peer.moved': {
        const connection = this.forwarders.get(message.peer);
        if (!connection) return;
        const key = compositeKey(connection.appId, message.conf);
        if (this.forwarded.get(key)?.connections.has(connection)) this.forwarded.delete(key);
        connection.close(CloseCode.ServiceRestart, 'conference moved');
        return;
      }
      case 'conf.forward':
        this.onForwarded(message.from, message.frame);
        return;
      case 'conf.peer-gone': {
        const peer = this.remotePeers.get(message.peer);
        if (!peer) return;
        this.remotePeers.delete(message.peer);
        this.remoteWaiting.delete(peer);
        this.router.closed(peer);
      }
    }
  }

  /**
   * A frame from a member node for a room this node owns, or owned: a room whose last member left
   * is claimed again (the member node still takes this node for its owner); one that another node
   * took sends the peer away to rejoin there.
   */
  private onForwarded(from: RemotePeerInfo, frame: unknown): void {
    let peer = this.remotePeers.get(from.id);
    if (!peer) this.remotePeers.set(from.id, (peer = new RemotePeer(from, this.bus)));
    const queue = this.remoteWaiting.get(peer);
    if (queue) {
      queue.push(frame);
      return;
    }
    const conf = (frame as { conf?: unknown }).conf;
    const key = typeof conf === 'string' ? compositeKey(from.appId, conf) : undefined;
    if (key === undefined || this.leases!.owns(key)) {
      void this.router.dispatch(peer, frame);
      return;
    }
    const waiting = [frame];
    this.remoteWaiting.set(peer, waiting);
    void this.resolve(key).then((owner) => {
      this.remoteWaiting.delete(peer);
      if (owner !== this.bus.node) this.moveOut(peer, conf as string);
      else for (const value of waiting) this.onForwarded(from, value);
    });
  }

  /** Finds the nodes at the other end of forwarded frames that died. */
  private async checkNodes(): Promise<void> {
    const owners = new Set([...this.forwarded.values()].map((r) => r.owner));
    const members = new Set([...this.remotePeers.values()].map((p) => p.node));
    if (owners.size + members.size === 0) return;
    let alive: Set<string>;
    try {
      alive = await this.bus.listening([...owners, ...members]);
    } catch (e) {
      this.logError(e, 'checking the other nodes failed');
      return;
    }
    for (const owner of owners) if (!alive.has(owner)) this.ownerGone(owner);
    for (const [id, peer] of this.remotePeers) {
      if (alive.has(peer.node)) continue;
      this.remotePeers.delete(id);
      this.router.closed(peer);
    }
  }

  private readonly logPublish = (e: unknown) => this.logError(e, 'forwarding a conference frame failed');
}
