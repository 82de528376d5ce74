import type { FastifyInstance } from 'fastify';
import {
  type ConferenceServerFrame,
  CONFERENCE_FULL_CODE,
  CONFERENCE_ROOMS_LIMIT_CODE,
  ConferenceFrames,
  type JoinResult,
  type ParticipantLeftFrame,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { Peer } from '../peer.js';
import type { ServerContext } from '../context.js';
import { iceServersFor } from './ice-servers.js';
import { resolveConferenceOptions, type ConferenceOptions, type ResolvedConferenceOptions } from './options.js';
import { participantInfo, Room, type Membership, type Participant } from './room.js';
import { UsageRecorder } from './usage-recorder.js';
import { SfuMedia } from './sfu-media.js';
import { registerSfuHandlers } from './sfu-handlers.js';
import { registerGestureHandlers } from './gesture-handlers.js';
import { registerShareHandlers } from './share-handlers.js';
import { registerRelayHandlers } from './relay-handlers.js';
import { registerChatHistory } from './chat-history.js';
import { RoomHosts } from './host-handlers.js';
import { compositeKey } from '../composite-key.js';
import { FrameRouter } from '../frame-router.js';
import { ConferenceGateway } from './conference-gateway.js';
import type { ConferenceRouter } from './conference-router.js';

/**
 * Conferences: rooms keyed by (app, conference id), membership, and the relay of SDP, ICE, video
 * state and data between members of the same room. Media itself flows peer to peer (a mesh).
 */
export class ConferenceService {
  private readonly rooms = new Map<string, Room>();
  /** The rooms each peer is a member of, for its close hook and its cap. */
  private readonly roomsOf = new Map<Peer, Set<Room>>();
  /** The rooms each user (app and uid) holds a place in, away ones included, for its cap. */
  private readonly roomsOfUser = new Map<string, Set<Room>>();
  readonly options: ResolvedConferenceOptions;
  readonly usage: UsageRecorder;
  /** Janus, when the server has one (--janus). */
  readonly sfu: SfuMedia | undefined;
  /** Hosts, the lock and the lobby: every join passes their gate. */
  private readonly hosts: RoomHosts;
  /** The conference's frame types, from this node's sockets and from members on other nodes. */
  readonly router: ConferenceRouter;
  /** Where each frame goes: here, or to the node that owns its room. */
  private readonly gateway: ConferenceGateway;

  constructor(
    private readonly ctx: ServerContext,
    options: ConferenceOptions = {},
  ) {
    this.options = resolveConferenceOptions(options);
    this.usage = new UsageRecorder(() => ctx.store.conferenceUsage, ctx.log, this.options.usageFlushMs);
    const sfu = this.options.sfu;
    this.sfu = sfu
      ? new SfuMedia(
          sfu,
          {
            sfuRooms: () => [...this.rooms.values()].filter((room) => room.mode === 'sfu'),
            tell: (room, frame) => this.broadcast(room, frame),
          },
          ctx.log,
        )
      : undefined;
    const logError = (err: unknown, message: string) =>
      ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, message);
    this.router = new FrameRouter<Peer>(logError);
    this.gateway = new ConferenceGateway(
      this.router,
      ctx.bus,
      ctx.cluster.leases,
      {
        peersOf: (appId, conf) =>
          (this.room(appId, conf)?.participants() ?? []).flatMap((p) => (p.peer ? [p.peer] : [])),
      },
      logError,
    );
    this.hosts = new RoomHosts(this.options, {
      membership: (peer, conf) => this.membership(peer, conf),
      broadcast: (room, frame, except) => this.broadcast(room, frame, except),
      room: (peer, conf) => this.rooms.get(roomKey(peer.appId, conf)),
      remove: (room, uid) => this.drop(room, uid, 'removed'),
    });
  }

  /** Registers the frame handlers and hooks; returns the service. */
  register(app: FastifyInstance): this {
    const { router } = this;
    this.ctx.router.delegate('conf.', (c, value) => this.gateway.dispatch(c, value));
    this.ctx.router.onClose((c) => this.gateway.closed(c));
    router.on('conf.join', ConferenceFrames.join, (c, f) =>
      this.hosts.gate(c, f, () => this.join(c, f.conf, f.uid, f.userData ?? '', f.instance)),
    );
    router.on('conf.leave', ConferenceFrames.leave, (c, f) => this.leave(c, f.conf));
    const membership: Membership = (peer, conf) => this.membership(peer, conf);
    const broadcast = (room: Room, frame: ConferenceServerFrame, exceptUid?: string) =>
      this.broadcast(room, frame, exceptUid);
    const logError = (err: unknown, message: string) =>
      this.ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, message);
    const keepChat = registerChatHistory(router, membership, () => this.ctx.store.history, logError);
    registerRelayHandlers(router, membership, broadcast, keepChat);
    if (this.sfu) registerSfuHandlers(router, this.sfu, membership);
    registerGestureHandlers(router, membership, broadcast);
    registerShareHandlers(router, membership, broadcast);
    this.hosts.register(router);
    router.onClose((c) => this.peerGone(c));
    app.addHook('onClose', async () => {
      this.gateway.stop();
      // Count the time of everyone still in a conference, then let the writes land before the store closes.
      for (const room of this.rooms.values()) for (const p of room.participants()) this.drop(room, p.uid, undefined);
      await Promise.all([this.usage.flush(), this.sfu?.stop()]);
    });
    this.sfu?.start();
    return this;
  }

  /** The room, if it exists (for tests and admin). */
  room(appId: string, conf: string): Room | undefined {
    return this.rooms.get(roomKey(appId, conf));
  }

  private join(peer: Peer, conf: string, uid: string, userData: string, instance: string): JoinResult {
    if (uid !== peer.uid) throw ApiError.notAuthorized('The uid must be the user id of the session token.');
    const key = roomKey(peer.appId, conf);
    let room = this.rooms.get(key);
    const existing = room?.get(uid);
    this.checkRoomCaps(peer, room);
    if (room && existing && existing.instance === instance) {
      // The same SDK instance came back: it keeps its place, and the others see nothing.
      existing.awayFrom = undefined;
      if (existing.peer && existing.peer !== peer) this.roomsOf.get(existing.peer)?.delete(room);
      existing.peer = peer;
      this.hosts.joined(room, existing);
      this.track(peer, room);
      return this.joinResult(room, existing, true);
    }
    if (room && existing) this.drop(room, uid, 'replaced');
    room = this.rooms.get(key);
    const sfu = this.sfu;
    // A join that takes the room to --sfu-from moves it to the SFU, whose cap is then the one that counts.
    const onSfu = room?.mode === 'sfu' || (sfu?.available === true && (room?.size ?? 0) + 1 >= sfu.sfuFrom);
    const cap = onSfu && sfu ? sfu.maxParticipants : this.options.meshMax;
    if (room && room.size >= cap) {
      throw new ApiError(
        409,
        CONFERENCE_FULL_CODE,
        `The conference is full: a ${onSfu ? 'conference' : 'mesh conference'} holds at most ${cap} participants.`,
      );
    }
    if (!room) {
      room = this.openRoom(peer.appId, conf);
      this.usage.record(peer.appId, { conferences: 1 });
    }
    const participant: Participant = {
      uid,
      userData,
      instance,
      joinedAt: Date.now(),
      video: 'PLAY',
      muted: false,
      hand: false,
      share: false,
      peer,
      awayFrom: undefined,
    };
    room.add(participant);
    this.hosts.joined(room, participant);
    this.track(peer, room);
    this.userRooms(peer.appId, uid, true)!.add(room);
    this.broadcast(room, { t: 'conf.joined', conf, participant: participantInfo(participant) }, uid);
    this.usage.record(peer.appId, { peak: room.size });
    if (sfu && room.mode === 'sfu') sfu.add(room, uid);
    else if (sfu && onSfu) {
      // The move: the members keep their mesh until the SFU carries each one's media (make before break).
      room.mode = 'sfu';
      room.epoch++;
      sfu.open(room);
      this.broadcast(room, { t: 'conf.mode', conf, mode: 'sfu', epoch: room.epoch }, uid);
    }
    return this.joinResult(room, participant, false);
  }

  private joinResult(room: Room, self: Participant, resumed: boolean): JoinResult {
    return {
      conf: room.conf,
      participants: room
        .participants()
        .filter((p) => p !== self)
        .map(participantInfo),
      iceServers: iceServersFor(self.uid, this.options),
      resumed,
      graceMs: this.options.graceMs,
      mode: room.mode,
      ...(room.epoch > 0 ? { epoch: room.epoch } : {}),
    };
  }

  private leave(peer: Peer, conf: string): object {
    const { room, member } = this.membership(peer, conf);
    this.drop(room, member.uid, 'left');
    return {};
  }

  /** The caller's place in a room; refuses a room the peer is not a member of. */
  private membership(peer: Peer, conf: string): { room: Room; member: Participant } {
    const room = this.rooms.get(roomKey(peer.appId, conf));
    const member = room?.memberOn(peer);
    if (!room || !member) throw ApiError.notAuthorized('You are not a participant of this conference.');
    return { room, member };
  }

  /**
   * Refuses a join that would put the peer or its user in more rooms than allowed; a room
   * the peer or user is already in does not count again. Checked before anything changes.
   */
  private checkRoomCaps(peer: Peer, room: Room | undefined): void {
    const { maxRoomsPerConnection, maxRoomsPerUser } = this.options;
    const ofPeer = this.roomsOf.get(peer);
    if (ofPeer && ofPeer.size >= maxRoomsPerConnection && !(room && ofPeer.has(room))) {
      throw new ApiError(
        409,
        CONFERENCE_ROOMS_LIMIT_CODE,
        `Too many conferences: one connection may be in at most ${maxRoomsPerConnection} at once.`,
      );
    }
    const ofUser = this.userRooms(peer.appId, peer.uid, false);
    if (ofUser && ofUser.size >= maxRoomsPerUser && !(room && ofUser.has(room))) {
      throw new ApiError(
        409,
        CONFERENCE_ROOMS_LIMIT_CODE,
        `Too many conferences: one user may be in at most ${maxRoomsPerUser} at once.`,
      );
    }
  }

  private userRooms(appId: string, uid: string, create: boolean): Set<Room> | undefined {
    const key = roomKey(appId, uid);
    let set = this.roomsOfUser.get(key);
    if (!set && create) this.roomsOfUser.set(key, (set = new Set()));
    return set;
  }

  private track(peer: Peer, room: Room): void {
    let set = this.roomsOf.get(peer);
    if (!set) this.roomsOf.set(peer, (set = new Set()));
    set.add(room);
  }

  /** Removes a participant, counts its time, tells the others (reason undefined: tell nobody). */
  private drop(room: Room, uid: string, reason: ParticipantLeftFrame['reason'] | undefined): void {
    const participant = room.remove(uid);
    if (!participant) return;
    this.hosts.left(room, participant);
    if (participant.peer) this.roomsOf.get(participant.peer)?.delete(room);
    const ofUser = this.userRooms(room.appId, uid, false);
    if (ofUser?.delete(room) && ofUser.size === 0) this.roomsOfUser.delete(roomKey(room.appId, uid));
    this.usage.record(room.appId, { participantMs: Date.now() - participant.joinedAt });
    if (reason) {
      // A share ends with its sharer: the room is told before it sees the sharer leave.
      if (participant.share) this.broadcast(room, { t: 'conf.share', conf: room.conf, uid, active: false });
      const frame: ParticipantLeftFrame = { t: 'conf.left', conf: room.conf, uid, reason };
      this.broadcast(room, frame);
      // A replaced instance learns it was replaced.
      if (reason === 'replaced' && participant.peer) participant.peer.send(frame);
    }
    if (room.mode === 'sfu' && room.size > 0) this.sfu?.remove(room, uid);
    if (room.size === 0) {
      this.rooms.delete(roomKey(room.appId, room.conf));
      this.sfu?.close(room);
      this.gateway.roomClosed(room.appId, room.conf);
    }
  }

  private openRoom(appId: string, conf: string): Room {
    const room = new Room(appId, conf);
    this.rooms.set(roomKey(appId, conf), room);
    return room;
  }

  /**
   * Tells every member of the room but `exceptUid`. The room holds every member's peer (one on
   * another node is a forwarded peer), so this is direct and keeps the order of what it says.
   */
  private broadcast(room: Room, frame: ConferenceServerFrame, exceptUid?: string): void {
    room.deliver(frame, exceptUid);
  }

  /** Marks the peer's participants away; one timer for the peer drops those that did not come back. */
  private peerGone(peer: Peer): void {
    const rooms = this.roomsOf.get(peer);
    this.roomsOf.delete(peer);
    if (!rooms || rooms.size === 0) return;
    const away: Array<{ room: Room; participant: Participant }> = [];
    for (const room of rooms) {
      const participant = room.memberOn(peer);
      if (!participant) continue;
      participant.peer = undefined;
      participant.awayFrom = peer;
      away.push({ room, participant });
    }
    const expire = () => {
      for (const { room, participant } of away) {
        // Still away since this peer dropped: a resume cleared awayFrom, a later drop set another.
        if (room.get(participant.uid) === participant && participant.awayFrom === peer)
          this.drop(room, participant.uid, 'timeout');
      }
    };
    if (this.options.graceMs === 0) {
      expire();
      return;
    }
    setTimeout(expire, this.options.graceMs).unref();
  }
}

function roomKey(appId: string, conf: string): string {
  return compositeKey(appId, conf);
}

/** Wires conferences into a server: one call from server.ts. */
export function registerConference(
  app: FastifyInstance,
  ctx: ServerContext,
  options?: ConferenceOptions,
): ConferenceService {
  return new ConferenceService(ctx, options).register(app);
}
