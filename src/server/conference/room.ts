import type { ParticipantInfo, ServerFrame, VideoState } from '../../protocol/index.js';
import type { Peer } from '../peer.js';
import type { SfuRoom } from './sfu-room.js';

/** One member of a room. `peer` is undefined while it is away within the grace period. */
export interface Participant {
  readonly uid: string;
  readonly userData: string;
  /** The SDK instance that joined: the same instance may resume, another one replaces it. */
  readonly instance: string;
  readonly joinedAt: number;
  video: VideoState;
  /** The microphone is muted (told by `conf.audio`). */
  muted: boolean;
  /** The hand is raised (told by `conf.hand`). */
  hand: boolean;
  /** It shares its screen (told by `conf.share`); at most one member of a room at a time. */
  share: boolean;
  /** A host of the room (its session token's role, set when it joins or resumes). */
  host?: boolean;
  peer: Peer | undefined;
  /** While away: the peer it dropped with, whose grace timer removes it unless it came back. */
  awayFrom: Peer | undefined;
}

/** Finds the caller's membership of a conference (refusing a room it is not in): what frame handlers start from. */
export type Membership = (peer: Peer, conf: string) => { room: Room; member: Participant };

/** A conference of one app: made on the first join, dropped when the last participant leaves. */
export class Room {
  private readonly members = new Map<string, Participant>();
  /** How media travels: a mesh, or through the SFU once the room grew past `--sfu-from`. */
  mode: 'mesh' | 'sfu' = 'mesh';
  /** The room's media setup: raised by the move to the SFU and by each rebuild after Janus came back. */
  epoch = 0;
  /** The room's SFU side, once Janus made its room; undefined while Janus is away. */
  sfu: Promise<SfuRoom> | undefined;

  constructor(
    readonly appId: string,
    readonly conf: string,
  ) {}

  get size(): number {
    return this.members.size;
  }

  get(uid: string): Participant | undefined {
    return this.members.get(uid);
  }

  add(participant: Participant): void {
    this.members.set(participant.uid, participant);
  }

  remove(uid: string): Participant | undefined {
    const participant = this.members.get(uid);
    if (participant) this.members.delete(uid);
    return participant;
  }

  participants(): Participant[] {
    return [...this.members.values()];
  }

  /** The member this peer speaks for, if it is one. */
  memberOn(peer: Peer): Participant | undefined {
    const participant = this.members.get(peer.uid);
    return participant?.peer === peer ? participant : undefined;
  }

  /** Hands a frame to every present member except `exceptUid`. */
  deliver(frame: ServerFrame, exceptUid?: string): void {
    for (const participant of this.members.values()) {
      if (participant.uid !== exceptUid) participant.peer?.send(frame);
    }
  }
}

export function participantInfo(participant: Participant): ParticipantInfo {
  // `muted`, `hand`, `share` and `host` only when true: the frame stays as it was for participants that never use them.
  return {
    uid: participant.uid,
    userData: participant.userData,
    video: participant.video,
    ...(participant.muted ? { muted: true } : {}),
    ...(participant.hand ? { hand: true } : {}),
    ...(participant.share ? { share: true } : {}),
    ...(participant.host ? { host: true } : {}),
  };
}
