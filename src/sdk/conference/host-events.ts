import type { ConferenceRole } from '../../protocol/index.js';

/** Our addition: one join waiting in the lobby, as hosts see it. */
export interface LobbyKnock {
  readonly uid: string;
  readonly user_data: string;
}
/** Our addition: this page's join waits in the lobby (fired again when hosts come or all go). */
export interface LobbyWaitingEvent {
  /** Whether a host is in the room to let it in; without one it keeps waiting (until the server's bound). */
  readonly hostPresent: boolean;
  /** The longest it still waits, in milliseconds. */
  readonly timeoutMs: number;
}
/** Our addition (hosts): the lobby's waiting joins changed; `waiting` is the whole list now, oldest first. */
export interface KnocksChangedEvent {
  readonly waiting: LobbyKnock[];
}
/** Our addition: a host muted this participant's microphone (only this participant can unmute it). */
export interface MutedByHostEvent {
  /** The host's uid. */
  readonly by: string;
}
/** Our addition: a host stopped this participant's video (only this participant can start it again). */
export interface VideoStoppedByHostEvent {
  readonly by: string;
}
/** Our addition: a host removed this participant; DISCONNECTED with errorCode 'removed' follows. */
export interface RemovedByHostEvent {
  readonly by: string;
  /** The reason the host gave, if any. */
  readonly reason?: string;
}
/** Our addition: the room was locked or unlocked (`by` absent: learned on joining or rejoining). */
export interface RoomLockChangedEvent {
  readonly locked: boolean;
  readonly by?: string;
}
/** Our addition: the room's lobby was turned on or off (`by` absent: learned on joining or rejoining). */
export interface LobbyChangedEvent {
  readonly enabled: boolean;
  readonly by?: string;
}
/** Our addition: this participant's role in the conference, as the server told it on joining. */
export interface RoleChangedEvent {
  readonly role: ConferenceRole;
}

/** Our addition: the hosts in the room changed (one came or left, or the room's state came on joining). */
export interface HostsChangedEvent {
  /** The hosts' uids now (this participant's too, when it is one). */
  readonly hosts: string[];
}

/** The host and lobby events of a conference (part of its event map). */
export interface HostEvents {
  lobbyWaiting(evt: LobbyWaitingEvent): void;
  knock(evt: LobbyKnock): void;
  knocksChanged(evt: KnocksChangedEvent): void;
  mutedByHost(evt: MutedByHostEvent): void;
  videoStoppedByHost(evt: VideoStoppedByHostEvent): void;
  removedByHost(evt: RemovedByHostEvent): void;
  roomLockChanged(evt: RoomLockChangedEvent): void;
  lobbyChanged(evt: LobbyChangedEvent): void;
  roleChanged(evt: RoleChangedEvent): void;
  hostsChanged(evt: HostsChangedEvent): void;
}
