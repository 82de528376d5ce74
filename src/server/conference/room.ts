import type { AnyFrame, ParticipantInfo, VideoState } from '../../protocol/index.js';
import type { ClientConnection } from '../connections.js';

/** One member of a room. `connection` is undefined while it is away within the grace period. */
export interface Participant {
  readonly uid: string;
  readonly userData: string;
  /** The SDK instance that joined: the same instance may resume, another one replaces it. */
  readonly instance: string;
  readonly joinedAt: number;
  video: VideoState;
  /** The microphone is muted (told by `conf.audio`). */
  muted: boolean;
  connection: ClientConnection | undefined;
  /** While away: the connection it dropped with, whose grace timer removes it unless it came back. */
  awayFrom: ClientConnection | undefined;
}

/** A conference of one app: made on the first join, dropped when the last participant leaves. */
export class Room {
  private readonly members = new Map<string, Participant>();

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

  /** The member this connection speaks for, if it is one. */
  memberOn(connection: ClientConnection): Participant | undefined {
    const participant = this.members.get(connection.uid);
    return participant?.connection === connection ? participant : undefined;
  }

  /** Sends a frame to every connected member except `exceptUid`. */
  broadcast(frame: object, exceptUid?: string): void {
    for (const participant of this.members.values()) {
      if (participant.uid !== exceptUid) if (participant.connection) sendFrame(participant.connection, frame);
    }
  }
}

export function participantInfo(participant: Participant): ParticipantInfo {
  const info = { uid: participant.uid, userData: participant.userData, video: participant.video };
  // `muted` only when true: the frame stays as it was for participants that never mute.
  return participant.muted ? { ...info, muted: true } : info;
}

/** Sends one of the conference's typed frames. */
export function sendFrame(connection: ClientConnection, frame: object): void {
  connection.send(frame as AnyFrame);
}
