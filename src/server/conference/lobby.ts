import {
  LOBBY_CLOSED_CODE,
  LOBBY_DENIED_CODE,
  LOBBY_FULL_CODE,
  LOBBY_TIMEOUT_CODE,
  CONFERENCE_ROOMS_LIMIT_CODE,
  type LobbyEntry,
  type LobbyGoneFrame,
  type ServerFrame,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { Peer } from '../peer.js';
import type { Room } from './room.js';

/** The bounds of the lobbies: every join a client can make the server hold is bounded in number and time. */
export interface LobbyLimits {
  /** Most joins one room's lobby holds at once. */
  readonly maxLobby: number;
  /** Longest one join waits, in milliseconds. */
  readonly lobbyWaitMs: number;
  /** Most lobbies one connection waits in at once. */
  readonly maxWaitsPerPeer: number;
}

/** One join held in a lobby until a host answers it. */
interface Waiter {
  readonly room: Room;
  readonly peer: Peer;
  readonly entry: LobbyEntry;
  readonly until: number;
  readonly timer: NodeJS.Timeout;
  readonly admit: () => void;
  readonly refuse: (error: ApiError) => void;
}

/**
 * The joins waiting in the lobbies of rooms: each is a `conf.join` whose answer the server holds
 * until a host admits it (the join then goes on as any other), denies it, or it times out, leaves,
 * or its room ends. Hosts hear of each knock and of its end; the waiting page hears whether a host
 * is there to answer. Bounded per room, per connection and in time.
 */
export class Lobby {
  private readonly rooms = new Map<Room, Map<string, Waiter>>();
  private readonly ofPeer = new Map<Peer, Set<Waiter>>();

  constructor(private readonly limits: LobbyLimits) {}

  /** The joins waiting in a room's lobby, oldest first. */
  entries(room: Room): LobbyEntry[] {
    return [...(this.rooms.get(room)?.values() ?? [])].map((w) => w.entry);
  }

  /**
   * Holds a join until a host admits it (resolves) or it ends otherwise (rejects with the reason).
   * A second wait of the same user in the same room replaces the first.
   */
  wait(room: Room, peer: Peer, userData: string): Promise<void> {
    const waiting = this.rooms.get(room) ?? new Map<string, Waiter>();
    const earlier = waiting.get(peer.uid);
    const waits = this.ofPeer.get(peer);
    if (!earlier && waiting.size >= this.limits.maxLobby)
      throw new ApiError(
        409,
        LOBBY_FULL_CODE,
        `The lobby of this conference is full (${this.limits.maxLobby} waiting).`,
      );
    if (waits && waits.size >= this.limits.maxWaitsPerPeer && !(earlier && waits.has(earlier)))
      throw new ApiError(
        409,
        CONFERENCE_ROOMS_LIMIT_CODE,
        `Too many lobbies: one connection may wait in at most ${this.limits.maxWaitsPerPeer} at once.`,
      );
    if (earlier) this.end(earlier, 'left', closed('You joined this conference again from another page.'));
    this.rooms.set(room, waiting);
    return new Promise<void>((admit, refuse) => {
      const timer = setTimeout(
        () => this.end(waiter, 'timeout', new ApiError(408, LOBBY_TIMEOUT_CODE, 'No host let you in in time.')),
        this.limits.lobbyWaitMs,
      );
      timer.unref();
      const entry = { uid: peer.uid, userData };
      const waiter: Waiter = { room, peer, entry, until: Date.now() + this.limits.lobbyWaitMs, timer, admit, refuse };
      waiting.set(peer.uid, waiter);
      let set = this.ofPeer.get(peer);
      if (!set) this.ofPeer.set(peer, (set = new Set()));
      set.add(waiter);
      this.tellWaiter(waiter);
      this.tellHosts(room, { t: 'conf.lobby.knock', conf: room.conf, ...entry });
    });
  }

  /** A host lets one waiting join in; false when nobody by that uid waits. */
  admit(room: Room, uid: string): boolean {
    const waiter = this.rooms.get(room)?.get(uid);
    if (waiter) this.end(waiter, 'admitted');
    return waiter !== undefined;
  }

  /** Every join waiting in the room goes in (the lobby was turned off). */
  admitAll(room: Room): void {
    for (const waiter of [...(this.rooms.get(room)?.values() ?? [])]) this.end(waiter, 'admitted');
  }

  /** A host refuses one waiting join; false when nobody by that uid waits. */
  deny(room: Room, uid: string, reason: string | undefined): boolean {
    const waiter = this.rooms.get(room)?.get(uid);
    const why = reason ? `A host did not let you in: ${reason}` : 'A host did not let you in.';
    if (waiter) this.end(waiter, 'denied', new ApiError(403, LOBBY_DENIED_CODE, why));
    return waiter !== undefined;
  }

  /** The waiting page gives up (`conf.lobby.leave`); false when it was not waiting there. */
  leave(room: Room, peer: Peer): boolean {
    const waiter = this.rooms.get(room)?.get(peer.uid);
    if (waiter?.peer !== peer) return false;
    this.end(waiter, 'left', closed('You left the lobby.'));
    return true;
  }

  /** The connection closed: its waits end (nobody would hear the answer). */
  peerGone(peer: Peer): void {
    for (const waiter of [...(this.ofPeer.get(peer) ?? [])]) this.end(waiter, 'left', closed('The connection closed.'));
  }

  /** The room ended (its last member left): nobody is left to let the waiting in. */
  roomClosed(room: Room): void {
    for (const waiter of [...(this.rooms.get(room)?.values() ?? [])])
      this.end(waiter, 'left', closed('The conference ended before a host let you in.'));
    this.rooms.delete(room);
  }

  /** Hosts came or all went: the waiting pages are told (they keep waiting either way). */
  hostPresenceChanged(room: Room): void {
    for (const waiter of this.rooms.get(room)?.values() ?? []) this.tellWaiter(waiter);
  }

  private end(waiter: Waiter, outcome: LobbyGoneFrame['outcome'], error?: ApiError): void {
    const { room, peer, entry } = waiter;
    const waiting = this.rooms.get(room);
    if (waiting?.get(entry.uid) !== waiter) return;
    waiting.delete(entry.uid);
    if (waiting.size === 0) this.rooms.delete(room);
    const waits = this.ofPeer.get(peer);
    if (waits?.delete(waiter) && waits.size === 0) this.ofPeer.delete(peer);
    clearTimeout(waiter.timer);
    if (error) waiter.refuse(error);
    else waiter.admit();
    this.tellHosts(room, { t: 'conf.lobby.gone', conf: room.conf, uid: entry.uid, outcome });
  }

  private tellWaiter(waiter: Waiter): void {
    const { room } = waiter;
    waiter.peer.send({
      t: 'conf.lobby.wait',
      conf: room.conf,
      hostPresent: room.participants().some((p) => p.host),
      timeoutMs: Math.max(0, waiter.until - Date.now()),
    });
  }

  private tellHosts(room: Room, frame: ServerFrame): void {
    for (const p of room.participants()) if (p.host) p.peer?.send(frame);
  }
}

function closed(description: string): ApiError {
  return new ApiError(409, LOBBY_CLOSED_CODE, description);
}
