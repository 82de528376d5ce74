import type { ConferenceRole } from '../../protocol/index.js';
import { EVENT_OPTIONS } from './options.js';

// The events of hosts and the lobby. Only the extras (the host UI) fire them, so they are imported
// from here rather than through index.ts, which the script-tag build shares from the SDK script.

export interface KnockDetail {
  readonly uid: string;
  readonly displayName: string;
  readonly userData: string;
}

/** Hosts: someone waits in the lobby to be let in. */
export class OovooKnockEvent extends CustomEvent<KnockDetail> {
  constructor(detail: KnockDetail) {
    super('oovoo-knock', { ...EVENT_OPTIONS, detail });
  }
}

export interface LobbyWaitDetail {
  /** Whether a host is in the call to let you in. */
  readonly hostPresent: boolean;
}

/** Your join waits in the lobby (fired again when hosts come or all go). */
export class OovooLobbyWaitEvent extends CustomEvent<LobbyWaitDetail> {
  constructor(detail: LobbyWaitDetail) {
    super('oovoo-lobby-wait', { ...EVENT_OPTIONS, detail });
  }
}

export interface HostActionDetail {
  /** What the host did to you. */
  readonly action: 'mute' | 'stop-video' | 'remove';
  /** The host's uid. */
  readonly by: string;
  /** The reason a host gave for a removal, if any. */
  readonly reason?: string;
}

/** A host muted you, stopped your video or removed you from the call. */
export class OovooHostActionEvent extends CustomEvent<HostActionDetail> {
  constructor(detail: HostActionDetail) {
    super('oovoo-host-action', { ...EVENT_OPTIONS, detail });
  }
}

export interface RoomChangeDetail {
  /** Your role in the call. */
  readonly role: ConferenceRole;
  readonly locked: boolean;
  /** The lobby is on: participants' joins wait for a host. */
  readonly lobby: boolean;
}

/** Your role, the call's lock or its lobby changed (first when you join a call with a host, a lock or a lobby). */
export class OovooRoomChangeEvent extends CustomEvent<RoomChangeDetail> {
  constructor(detail: RoomChangeDetail) {
    super('oovoo-room-change', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-knock': OovooKnockEvent;
    'oovoo-lobby-wait': OovooLobbyWaitEvent;
    'oovoo-host-action': OovooHostActionEvent;
    'oovoo-room-change': OovooRoomChangeEvent;
  }
}
