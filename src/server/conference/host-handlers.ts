import {
  CONFERENCE_LOCKED_CODE,
  HostFrames,
  LOBBY_DENIED_CODE,
  type ConferenceJoinFrame,
  type ConferenceServerFrame,
  type JoinResult,
  type ParticipantLeftFrame,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { ConferenceRouter } from './conference-router.js';
import type { Peer } from '../peer.js';
import { Lobby } from './lobby.js';
import type { ResolvedConferenceOptions } from './options.js';
import { otherMember } from './relay-handlers.js';
import type { Membership, Participant, Room } from './room.js';

type Broadcast = (room: Room, frame: ConferenceServerFrame, exceptUid?: string) => void;

/** What the host controls need of the conference service. */
export interface HostDeps {
  readonly membership: Membership;
  readonly broadcast: Broadcast;
  /** The room of a conference of the peer's app, if it exists now. */
  room(peer: Peer, conf: string): Room | undefined;
  /** Takes a member out for good (the room sees it leave with reason 'removed'). */
  remove(room: Room, uid: string): void;
}

/** What a host set on a room; it lasts as long as the room. */
interface RoomSettings {
  locked: boolean;
  lobby: boolean;
  /** Users a host removed: they do not get back in while the room lasts. */
  readonly removed: Set<string>;
}

/** Removed users a room remembers, the oldest forgotten first past it. */
const MAX_REMOVED_PER_ROOM = 1000;

/**
 * Hosts (a role of the session token) and what they control: `conf.host.*` frames from anyone
 * who is not a host of the room are refused with -35001 before anything changes. A host mutes a
 * participant or stops its video (its SDK obeys and tells it; the room sees the new state at
 * once), removes it, locks the room and turns the lobby on. Joins pass through {@link gate}:
 * hosts always get in; participants are refused while the room is locked, and wait in the lobby
 * while it is on. Works alike in a mesh and on the SFU: these are signaling, and a removal drops
 * the member from both.
 */
export class RoomHosts {
  private readonly settings = new Map<Room, RoomSettings>();
  private readonly lobby: Lobby;

  constructor(
    options: Pick<ResolvedConferenceOptions, 'maxLobby' | 'lobbyWaitMs' | 'maxRoomsPerConnection'>,
    private readonly deps: HostDeps,
  ) {
    const { maxLobby, lobbyWaitMs, maxRoomsPerConnection } = options;
    this.lobby = new Lobby({ maxLobby, lobbyWaitMs, maxWaitsPerPeer: maxRoomsPerConnection });
  }

  /**
   * Lets a join through, refuses it, or holds it in the lobby until a host answers; `join` is the
   * join itself. Resumes, a new page of someone already in, and hosts always pass.
   */
  async gate(peer: Peer, frame: ConferenceJoinFrame, join: () => JoinResult): Promise<JoinResult> {
    const room = this.deps.room(peer, frame.conf);
    const settings = room && this.settings.get(room);
    if (!room || !settings || frame.uid !== peer.uid || peer.role === 'host' || room.get(peer.uid)) return join();
    if (settings.removed.has(peer.uid))
      throw new ApiError(403, LOBBY_DENIED_CODE, 'A host removed you from this conference.');
    if (settings.locked) {
      throw new ApiError(
        403,
        CONFERENCE_LOCKED_CODE,
        hostsOf(room).length > 0
          ? 'This conference is locked: a host has to unlock it before you can join.'
          : 'This conference is locked and no host is present to let you in.',
      );
    }
    if (settings.lobby) await this.lobby.wait(room, peer, frame.userData ?? '');
    return join();
  }

  /** A member joined or resumed (before the room hears of it): its role, and what it should know of the room. */
  joined(room: Room, member: Participant): void {
    const wasHosted = hostsOf(room).some((p) => p !== member);
    member.host = member.peer?.role === 'host';
    const settings = this.settings.get(room);
    const hosts = hostsOf(room).map((p) => p.uid);
    // A plain participant of a plain room hears nothing more than before roles existed.
    if (member.host || settings?.locked || settings?.lobby || hosts.length > 0) {
      member.peer?.send({
        t: 'conf.room',
        conf: room.conf,
        role: member.host ? 'host' : 'participant',
        locked: settings?.locked ?? false,
        lobby: settings?.lobby ?? false,
        hosts,
        ...(member.host ? { waiting: this.lobby.entries(room) } : {}),
      });
    }
    if (member.host && !wasHosted) this.lobby.hostPresenceChanged(room);
  }

  /** A member left for good (already out of the room). */
  left(room: Room, member: Participant): void {
    if (room.size === 0) {
      this.lobby.roomClosed(room);
      this.settings.delete(room);
    } else if (member.host && hostsOf(room).length === 0) {
      this.lobby.hostPresenceChanged(room);
    }
  }

  register(router: ConferenceRouter): this {
    const { broadcast } = this.deps;
    router.on('conf.host.mute', HostFrames.mute, (c, f) => {
      const { room, member, target } = this.onTarget(c, f.conf, f.uid);
      const delivered = target.peer?.send({ t: 'conf.host.mute', conf: room.conf, from: member.uid }) === true;
      if (delivered && !target.muted) {
        target.muted = true;
        broadcast(room, { t: 'conf.audio', conf: room.conf, uid: target.uid, muted: true }, target.uid);
      }
      return { delivered };
    });
    router.on('conf.host.video', HostFrames.stopVideo, (c, f) => {
      const { room, member, target } = this.onTarget(c, f.conf, f.uid);
      const delivered = target.peer?.send({ t: 'conf.host.video', conf: room.conf, from: member.uid }) === true;
      if (delivered && target.video !== 'PAUSED') {
        target.video = 'PAUSED';
        broadcast(room, { t: 'conf.video', conf: room.conf, uid: target.uid, state: 'PAUSED' }, target.uid);
      }
      return { delivered };
    });
    router.on('conf.host.remove', HostFrames.remove, (c, f) => {
      const { room, member, target } = this.onTarget(c, f.conf, f.uid);
      const frame: ParticipantLeftFrame = {
        t: 'conf.left',
        conf: room.conf,
        uid: target.uid,
        reason: 'removed',
        by: member.uid,
        ...(f.reason ? { message: f.reason } : {}),
      };
      target.peer?.send(frame);
      const { removed } = this.settingsOf(room);
      if (removed.size >= MAX_REMOVED_PER_ROOM) removed.delete(removed.values().next().value!);
      removed.add(target.uid);
      this.deps.remove(room, target.uid);
      return {};
    });
    router.on('conf.host.lock', HostFrames.lock, (c, f) => {
      const { room, member } = this.asHost(c, f.conf);
      const settings = this.settingsOf(room);
      if (settings.locked !== f.locked) {
        settings.locked = f.locked;
        broadcast(room, { t: 'conf.host.lock', conf: room.conf, uid: member.uid, locked: f.locked }, member.uid);
      }
      return {};
    });
    router.on('conf.host.lobby', HostFrames.lobby, (c, f) => {
      const { room, member } = this.asHost(c, f.conf);
      const settings = this.settingsOf(room);
      if (settings.lobby !== f.enabled) {
        settings.lobby = f.enabled;
        broadcast(room, { t: 'conf.host.lobby', conf: room.conf, uid: member.uid, enabled: f.enabled }, member.uid);
        // Nobody waits without a lobby: those waiting go in.
        if (!f.enabled) this.lobby.admitAll(room);
      }
      return {};
    });
    router.on('conf.host.admit', HostFrames.admit, (c, f) => {
      const { room } = this.asHost(c, f.conf);
      if (!this.lobby.admit(room, f.uid)) throw notWaiting(f.uid);
      return {};
    });
    router.on('conf.host.deny', HostFrames.deny, (c, f) => {
      const { room } = this.asHost(c, f.conf);
      if (!this.lobby.deny(room, f.uid, f.reason)) throw notWaiting(f.uid);
      return {};
    });
    router.on('conf.lobby.leave', HostFrames.leaveLobby, (c, f) => {
      const room = this.deps.room(c, f.conf);
      if (!room || !this.lobby.leave(room, c))
        throw ApiError.badRequest('You are not waiting in the lobby of this conference.');
      return {};
    });
    router.onClose((c) => this.lobby.peerGone(c));
    return this;
  }

  /** The caller's membership, refused (-35001) unless it is a host of the room. */
  private asHost(peer: Peer, conf: string): { room: Room; member: Participant } {
    const found = this.deps.membership(peer, conf);
    if (!found.member.host) throw ApiError.notAuthorized('Only a host of this conference may do this.');
    return found;
  }

  /** A host's action on another member of the room. */
  private onTarget(peer: Peer, conf: string, uid: string) {
    const { room, member } = this.asHost(peer, conf);
    return { room, member, target: otherMember(room, member, uid) };
  }

  private settingsOf(room: Room): RoomSettings {
    let settings = this.settings.get(room);
    if (!settings) this.settings.set(room, (settings = { locked: false, lobby: false, removed: new Set() }));
    return settings;
  }
}

function hostsOf(room: Room): Participant[] {
  return room.participants().filter((p) => p.host);
}

function notWaiting(uid: string): ApiError {
  return ApiError.badRequest(`Nobody ${JSON.stringify(uid.slice(0, 64))} waits in the lobby of this conference.`);
}
