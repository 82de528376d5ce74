/**
 * Hosts and the lobby. A role travels in the session token (only the server-to-server login, the
 * CLI and the portal grant `host`); the server checks it on every `conf.host.*` frame, so a page
 * that forges one gets -35001 and changes nothing. A host asks a participant to mute, stops its
 * video, removes it, locks the room and turns on a lobby, where joins wait for a host's answer.
 */
import { Limits } from './constants.js';
import { ConferenceLimits } from './conference.js';
import { bool, literal, object, optional, str } from './schema.js';

export type ConferenceRole = 'host' | 'participant';
export const CONFERENCE_ROLES: readonly ConferenceRole[] = ['host', 'participant'];

export const HostLimits = {
  /** Longest reason a host gives when removing or denying someone, in characters. */
  maxReasonLength: 200,
  /** Default most joins one room's lobby holds at once (past it a join is refused with LOBBY_FULL_CODE). */
  defaultMaxLobby: 50,
  /** Default longest a join waits in a lobby, in milliseconds. */
  defaultLobbyWaitMs: 5 * 60_000,
  /** The longest a server may let a join wait: the SDK waits this long (plus a margin) for a join's answer. */
  maxLobbyWaitMs: 10 * 60_000,
} as const;

// Codes of the spec's -603XX "Invalid Business case" group, one per outcome so an app can word each.
/** A participant's join while a host locked the room. */
export const CONFERENCE_LOCKED_CODE = -60310;
/** A host denied the join (also: joining again after a host removed you). */
export const LOBBY_DENIED_CODE = -60311;
/** No host answered within the lobby's wait. */
export const LOBBY_TIMEOUT_CODE = -60312;
/** The room's lobby holds as many joins as it may. */
export const LOBBY_FULL_CODE = -60313;
/** The wait ended otherwise: the room ended, the page left the lobby, or the same user joined again. */
export const LOBBY_CLOSED_CODE = -60314;

const confId = str({ min: 1, max: ConferenceLimits.maxConferenceIdLength });
const uid = str({ min: 1, max: Limits.maxUserIdLength });
const requestId = optional(str({ min: 1, max: 64 }));
const reason = optional(str({ max: HostLimits.maxReasonLength }));

/** Client → server frames: every `conf.host.*` one is refused (-35001) unless the sender is a host of the room. */
export const HostFrames = {
  /** Asks a participant to mute its microphone: its SDK mutes it and tells it; only it can unmute. */
  mute: object({ t: literal('conf.host.mute'), id: requestId, conf: confId, uid }),
  /** Stops a participant's video: its SDK stops transmitting and tells it; only it can start again. */
  stopVideo: object({ t: literal('conf.host.video'), id: requestId, conf: confId, uid }),
  /** Removes a participant: it gets DISCONNECTED ('removed') and cannot join this room again while it lasts. */
  remove: object({ t: literal('conf.host.remove'), id: requestId, conf: confId, uid, reason }),
  /** Locks (true) or unlocks the room: while locked, participants' joins are refused. */
  lock: object({ t: literal('conf.host.lock'), id: requestId, conf: confId, locked: bool }),
  /** Turns the lobby on or off: while on, participants' joins wait for a host; off admits those waiting. */
  lobby: object({ t: literal('conf.host.lobby'), id: requestId, conf: confId, enabled: bool }),
  /** Lets one waiting join in. */
  admit: object({ t: literal('conf.host.admit'), id: requestId, conf: confId, uid }),
  /** Refuses one waiting join. */
  deny: object({ t: literal('conf.host.deny'), id: requestId, conf: confId, uid, reason }),
  /** The waiting page gives up: its join ends (LOBBY_CLOSED_CODE) and the hosts see the knock go. */
  leaveLobby: object({ t: literal('conf.lobby.leave'), id: requestId, conf: confId }),
} as const;

/** One join waiting in a lobby, as hosts see it. */
export interface LobbyEntry {
  readonly uid: string;
  readonly userData: string;
}

/** Server → the participant a host muted (`from`: the host). */
export interface HostMuteFrame {
  readonly t: 'conf.host.mute';
  readonly conf: string;
  readonly from: string;
}
/** Server → the participant whose video a host stopped. */
export interface HostStopVideoFrame {
  readonly t: 'conf.host.video';
  readonly conf: string;
  readonly from: string;
}
/** Server → the room: a host locked or unlocked it. */
export interface RoomLockFrame {
  readonly t: 'conf.host.lock';
  readonly conf: string;
  readonly uid: string;
  readonly locked: boolean;
}
/** Server → the room: a host turned the lobby on or off. */
export interface RoomLobbyFrame {
  readonly t: 'conf.host.lobby';
  readonly conf: string;
  readonly uid: string;
  readonly enabled: boolean;
}
/**
 * Server → a joiner, before its join's answer, when anything differs from a plain room: its role,
 * the room's lock and lobby, who the hosts are, and (for a host) who waits in the lobby.
 */
export interface RoomStateFrame {
  readonly t: 'conf.room';
  readonly conf: string;
  readonly role: ConferenceRole;
  readonly locked: boolean;
  readonly lobby: boolean;
  readonly hosts: readonly string[];
  readonly waiting?: readonly LobbyEntry[];
}
/** Server → a join in the lobby: it waits (sent again when hosts come or all go). */
export interface LobbyWaitFrame {
  readonly t: 'conf.lobby.wait';
  readonly conf: string;
  readonly hostPresent: boolean;
  /** The longest it waits from now, in milliseconds. */
  readonly timeoutMs: number;
}
/** Server → hosts: a join knocks. */
export interface LobbyKnockFrame {
  readonly t: 'conf.lobby.knock';
  readonly conf: string;
  readonly uid: string;
  readonly userData: string;
}
/** Server → hosts: a knock ended. */
export interface LobbyGoneFrame {
  readonly t: 'conf.lobby.gone';
  readonly conf: string;
  readonly uid: string;
  readonly outcome: 'admitted' | 'denied' | 'left' | 'timeout';
}

export type HostServerFrame =
  | HostMuteFrame
  | HostStopVideoFrame
  | RoomLockFrame
  | RoomLobbyFrame
  | RoomStateFrame
  | LobbyWaitFrame
  | LobbyKnockFrame
  | LobbyGoneFrame;
