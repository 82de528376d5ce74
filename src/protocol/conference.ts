/**
 * Conference signaling frames, shared by the server (which validates every client frame against
 * these schemas) and the SDK. A client never names itself as a sender: the server stamps `from`
 * with the uid of the connection's session token, so nobody can speak for someone else.
 */
import { Limits } from './constants.js';
import { arrayOf, bool, literal, num, object, oneOf, optional, str, type Check } from './schema.js';
import type { HostServerFrame } from './host.js';
import type { ConferenceMode, SfuServerFrame } from './sfu.js';

export const ConferenceLimits = {
  /** Longest conference id, in characters. */
  maxConferenceIdLength: 256,
  /** Largest `user_data` a participant carries, in characters. */
  maxUserDataLength: 4096,
  /** Largest `sendData` payload, in bytes of UTF-8 (the spec's SDK documented 16 KB). */
  maxDataBytes: 16 * 1024,
  /** Largest SDP, in characters. */
  maxSdpLength: 48 * 1024,
  maxCandidateLength: 1024,
  /** Default mesh size: beyond it a join is refused when no SFU is configured. */
  defaultMeshMax: 6,
  /** Default time a dropped participant keeps its place, in milliseconds. */
  defaultGraceMs: 15_000,
  /** Default most conferences one connection may be in at once. */
  defaultMaxRoomsPerConnection: 8,
  /** Default most conferences one user of an app may be in at once. */
  defaultMaxRoomsPerUser: 16,
  /** Reactions one participant may send: a burst, then this many per second (each goes to the whole room). */
  reactionBurst: 10,
  reactionsPerSecond: 2,
} as const;

/** The reactions a participant can send to its room (elements show each as an emoji, a replaceable string). */
export const REACTIONS = ['thumbs-up', 'clap', 'heart', 'laugh', 'surprised', 'party'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** The code a join gets when the mesh is full (the spec's -603XX "Invalid Business case" group). */
export const CONFERENCE_FULL_CODE = -60300;

/** The code a join gets when the connection or the user is already in the most conferences allowed (same -603XX group). */
export const CONFERENCE_ROOMS_LIMIT_CODE = -60300;

/** The code a screen share gets while another participant of the room shares (same -603XX group): one at a time. */
export const SCREEN_SHARE_TAKEN_CODE = -60300;

export type VideoState = 'PLAY' | 'PAUSED';

export interface ParticipantInfo {
  readonly uid: string;
  readonly userData: string;
  /** Whether the participant transmits video now. */
  readonly video: VideoState;
  /** Present (true) while the participant's microphone is muted. */
  readonly muted?: boolean;
  /** Present (true) while the participant's hand is raised. */
  readonly hand?: boolean;
  /** Present (true) while the participant shares its screen. */
  readonly share?: boolean;
  /** Present (true) when the participant is a host (its session token says so). */
  readonly host?: boolean;
}

export interface IceServerInfo {
  readonly urls: readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** The `result` of an acknowledged `conf.join`. */
export interface JoinResult {
  readonly conf: string;
  /** The other participants, in join order. */
  readonly participants: readonly ParticipantInfo[];
  readonly iceServers: readonly IceServerInfo[];
  /** True when the server still held this participant's place (a reconnect within the grace period). */
  readonly resumed: boolean;
  readonly graceMs: number;
  /** How media travels in this conference: the SDK picks its media topology by it. */
  readonly mode: ConferenceMode;
  /** The room's media setup (rises with each move to or rebuild on the SFU); 0 for a mesh that never moved. */
  readonly epoch?: number;
}

const confId = str({ min: 1, max: ConferenceLimits.maxConferenceIdLength });
const uid = str({ min: 1, max: Limits.maxUserIdLength });
const requestId = optional(str({ min: 1, max: 64 }));

const sessionDescription = object({
  type: oneOf(['offer', 'answer']),
  sdp: str({ max: ConferenceLimits.maxSdpLength }),
});

const iceCandidate = object({
  candidate: str({ max: ConferenceLimits.maxCandidateLength }),
  sdpMid: optional(str({ max: 64 })),
  sdpMLineIndex: optional(num({ min: 0, max: 1024, integer: true })),
  usernameFragment: optional(str({ max: 256 })),
});

/** Client → server frames. */
export const ConferenceFrames = {
  /** Join (or, with the same `instance` within the grace period, resume) a conference. */
  join: object({
    t: literal('conf.join'),
    id: requestId,
    conf: confId,
    uid,
    userData: optional(str({ max: ConferenceLimits.maxUserDataLength })),
    /** A random id per joined page instance: tells a resume from a second tab of the same user. */
    instance: str({ min: 8, max: 64 }),
  }),
  leave: object({ t: literal('conf.leave'), id: requestId, conf: confId }),
  /** SDP or ICE for one other member of the same room. */
  signal: object({
    t: literal('conf.signal'),
    id: requestId,
    conf: confId,
    to: uid,
    description: optional(sessionDescription),
    candidate: optional(iceCandidate),
  }),
  /** This participant started or stopped transmitting video. */
  video: object({ t: literal('conf.video'), id: requestId, conf: confId, state: oneOf(['PLAY', 'PAUSED']) }),
  /** This participant muted or unmuted its microphone (others show it on its tile). */
  audio: object({ t: literal('conf.audio'), id: requestId, conf: confId, muted: bool }),
  /** This participant raised (true) or lowered (false) its hand; the room sees it, and so do later joiners. */
  hand: object({ t: literal('conf.hand'), id: requestId, conf: confId, raised: bool }),
  /** This participant started (true) or stopped (false) sharing its screen: one sharer per room at a time. */
  share: object({ t: literal('conf.share'), id: requestId, conf: confId, active: bool }),
  /** A short reaction to the whole room (not kept: only those in the room now see it). */
  reaction: object({ t: literal('conf.reaction'), id: requestId, conf: confId, reaction: oneOf(REACTIONS) }),
  /** Asks one member to stop (false) or resume (true) sending its video to this participant. */
  receive: object({ t: literal('conf.receive'), id: requestId, conf: confId, to: uid, video: bool }),
  /** Application data to one member, or to all with `to: ""`. */
  data: object({
    t: literal('conf.data'),
    id: requestId,
    conf: confId,
    to: str({ max: Limits.maxUserIdLength }),
    data: str(),
  }),
} as const;

type FrameOf<C> = C extends Check<infer T> ? T : never;
export type ConferenceJoinFrame = FrameOf<typeof ConferenceFrames.join>;
export type ConferenceSignalFrame = FrameOf<typeof ConferenceFrames.signal>;

/** Server → client frames. */
export interface ParticipantJoinedFrame {
  readonly t: 'conf.joined';
  readonly conf: string;
  readonly participant: ParticipantInfo;
}
export interface ParticipantLeftFrame {
  readonly t: 'conf.left';
  readonly conf: string;
  readonly uid: string;
  /** 'left', 'timeout' (the grace period ended), 'replaced' (the same user joined again) or 'removed' (by a host). */
  readonly reason: 'left' | 'timeout' | 'replaced' | 'removed';
  /** 'removed' only: the host who removed it, and the reason it gave (if any). */
  readonly by?: string;
  readonly message?: string;
}
export interface SignalRelayFrame {
  readonly t: 'conf.signal';
  readonly conf: string;
  readonly from: string;
  readonly description?: { readonly type: 'offer' | 'answer'; readonly sdp: string };
  readonly candidate?: {
    readonly candidate: string;
    readonly sdpMid?: string;
    readonly sdpMLineIndex?: number;
    readonly usernameFragment?: string;
  };
}
export interface VideoStateFrame {
  readonly t: 'conf.video';
  readonly conf: string;
  readonly uid: string;
  readonly state: VideoState;
}
export interface AudioStateFrame {
  readonly t: 'conf.audio';
  readonly conf: string;
  readonly uid: string;
  readonly muted: boolean;
}
export interface HandFrame {
  readonly t: 'conf.hand';
  readonly conf: string;
  readonly uid: string;
  readonly raised: boolean;
}
export interface ShareFrame {
  readonly t: 'conf.share';
  readonly conf: string;
  readonly uid: string;
  readonly active: boolean;
}
export interface ReactionFrame {
  readonly t: 'conf.reaction';
  readonly conf: string;
  readonly uid: string;
  readonly reaction: Reaction;
}
export interface ReceiveRelayFrame {
  readonly t: 'conf.receive';
  readonly conf: string;
  readonly from: string;
  readonly video: boolean;
}
export interface DataRelayFrame {
  readonly t: 'conf.data';
  readonly conf: string;
  readonly from: string;
  readonly data: string;
}

export type ConferenceServerFrame =
  | ParticipantJoinedFrame
  | ParticipantLeftFrame
  | SignalRelayFrame
  | VideoStateFrame
  | AudioStateFrame
  | HandFrame
  | ShareFrame
  | ReactionFrame
  | ReceiveRelayFrame
  | DataRelayFrame
  | SfuServerFrame
  | HostServerFrame;

/** Schemas the SDK checks server frames against (unknown keys refused, as on the server). */
const participantInfo = object({
  uid,
  userData: str({ max: ConferenceLimits.maxUserDataLength }),
  video: oneOf(['PLAY', 'PAUSED']),
  muted: optional(bool),
  hand: optional(bool),
  share: optional(bool),
  host: optional(bool),
});
export const ConferenceServerFrames = {
  joinResult: object({
    conf: confId,
    participants: arrayOf(participantInfo, { max: 1000 }),
    iceServers: arrayOf(
      object({
        urls: arrayOf(str({ min: 1, max: 512 }), { min: 1, max: 16 }),
        username: optional(str()),
        credential: optional(str()),
      }),
      { max: 16 },
    ),
    resumed: bool,
    graceMs: num({ min: 0 }),
    mode: oneOf(['mesh', 'sfu']),
    epoch: optional(num({ min: 0, integer: true })),
  }),
} as const;

/** UTF-8 byte length, the same on both sides. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
