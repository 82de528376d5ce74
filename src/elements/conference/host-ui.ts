import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import {
  CONFERENCE_LOCKED_CODE,
  LOBBY_CLOSED_CODE,
  LOBBY_DENIED_CODE,
  LOBBY_FULL_CODE,
  LOBBY_TIMEOUT_CODE,
} from '../../protocol/host.js';
import type {
  Conference,
  HostController,
  LobbyKnock,
  LobbyWaitingEvent,
  RemovedByHostEvent,
} from '../../sdk/conference/index.js';
import { OoVooError } from '../../sdk/errors.js';
import type { ConferenceState } from '../context.js';
import { OovooErrorEvent } from '../events/index.js';
import { OovooHostActionEvent, OovooKnockEvent, OovooLobbyWaitEvent, OovooRoomChangeEvent } from '../events/host.js';
import { EXTRAS_STRINGS, type ConferenceStrings, type ExtrasStrings } from './conference-strings.js';
import { renderHostStage } from './host-view.js';
import { decodeUserData } from './user-data.js';

export type ExtrasKey = keyof ExtrasStrings;

/** The words of an ended wait or a refused join, by the spec-range code the server gave. */
const ENDINGS: Readonly<Record<number, ExtrasKey>> = {
  [CONFERENCE_LOCKED_CODE]: 'endLocked',
  [LOBBY_DENIED_CODE]: 'endDenied',
  [LOBBY_TIMEOUT_CODE]: 'endTimeout',
  [LOBBY_FULL_CODE]: 'endLobbyFull',
  [LOBBY_CLOSED_CODE]: 'endLobbyClosed',
};

/** <oovoo-conference> as the host UI sees it. */
export interface HostUiHost extends ReactiveControllerHost, HTMLElement {
  /** The SDK conference while joining, waiting or joined. */
  readonly conference: Conference | undefined;
  state: ConferenceState;
  muted: boolean;
  cameraOff: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
  requestLeave(): void;
}

/**
 * The conference's hosts and lobby, for a call that is not plain (it comes with the extras, made on
 * the SDK's first host or lobby event): a host's actions in the participant panel, the lock and
 * lobby switches, the knocks with Admit and Deny; a participant's waiting screen, the notices of a
 * host's mute and stop, and a removal or refusal in words. It reflects `call-role`, `locked`,
 * `lobby` and the `waiting` state, and fires the oovoo-* events of events/host.ts. The server
 * enforces everything: this only offers a host's actions to a host.
 */
export class HostUi implements ReactiveController {
  /** The SDK conference the state below belongs to; a new one starts afresh. */
  private conf: Conference | undefined;
  /** A host or lobby event came for this call: it is not a plain one. */
  private hosted = false;
  /** While waiting in the lobby: whether a host is there to let this page in. */
  hostPresent = true;
  /** A host muted this participant or stopped its video (until it unmutes, starts it, or dismisses). */
  notice: 'mutedByHost' | 'videoStoppedByHost' | undefined;
  /** Why the call ended or the join was refused, in words. */
  ending: string | undefined;
  /** The participant whose removal waits for the host's confirmation. */
  confirming: string | undefined;

  constructor(
    readonly el: HostUiHost,
    private readonly t: (key: keyof ConferenceStrings & string) => string | undefined,
  ) {
    el.addController(this);
  }

  /** A text of the host UI with its `{placeholders}` filled (a value is never read as one). */
  say(key: keyof ConferenceStrings & string, values: Record<string, string | number> = {}): string {
    // The element's t() has no English for the extras' keys (they stay out of the SDK script): ours is the fallback.
    const text = this.t(key) ?? EXTRAS_STRINGS[key as ExtrasKey];
    return text.replace(/\{(\w+)\}/g, (m, name: string) => String(values[name] ?? m));
  }

  /** The HostController of the call while this page is in it. */
  get controller(): HostController | undefined {
    const { state, conference } = this.el;
    return state === 'joined' || state === 'reconnecting' ? conference?.HostController : undefined;
  }

  /** Whether `uid` is a host of the call. */
  isHost(uid: string): boolean {
    return this.controller?.hosts.includes(uid) ?? false;
  }

  hostUpdate(): void {
    const { el } = this;
    this.adopt();
    if ((this.notice === 'mutedByHost' && !el.muted) || (this.notice === 'videoStoppedByHost' && !el.cameraOff))
      this.notice = undefined;
    const hc = this.hosted ? this.controller : undefined;
    if (hc) el.setAttribute('call-role', hc.role);
    else el.removeAttribute('call-role');
    el.toggleAttribute('locked', hc?.locked === true);
    el.toggleAttribute('lobby', hc?.lobbyEnabled === true);
  }

  /**
   * One host or lobby event of the SDK conference, in order; `ended` is a join the lock or the lobby
   * refused (its `{ code }`), which the element's status leaves to these words.
   */
  handle(name: string, e: unknown): void {
    const { el } = this;
    this.adopt();
    this.hosted = true;
    const room = this.conf?.HostController;
    switch (name) {
      case 'ended': {
        const { code, description } = e as ErrorInfo;
        this.ending = ENDINGS[code] ? this.say(ENDINGS[code]) : description;
        break;
      }
      case 'lobbyWaiting':
        this.hostPresent = (e as LobbyWaitingEvent).hostPresent;
        if (el.state === 'joining') el.state = 'waiting';
        el.dispatchEvent(new OovooLobbyWaitEvent({ hostPresent: this.hostPresent }));
        break;
      case 'knock': {
        const { uid, user_data } = e as LobbyKnock;
        el.dispatchEvent(new OovooKnockEvent({ uid, ...decodeUserData(user_data, uid) }));
        break;
      }
      case 'mutedByHost':
        el.muted = true;
        this.notice = name;
        el.dispatchEvent(new OovooHostActionEvent({ action: 'mute', by: (e as { by: string }).by }));
        break;
      case 'videoStoppedByHost':
        el.cameraOff = true;
        this.notice = name;
        el.dispatchEvent(new OovooHostActionEvent({ action: 'stop-video', by: (e as { by: string }).by }));
        break;
      case 'removedByHost': {
        const { by, reason } = e as RemovedByHostEvent;
        this.ending = reason ? this.say('removedReason', { reason }) : this.say('removedByHost');
        el.dispatchEvent(new OovooHostActionEvent({ action: 'remove', by, ...(reason ? { reason } : {}) }));
        break;
      }
      case 'roleChanged':
      case 'roomLockChanged':
      case 'lobbyChanged':
        if (room)
          el.dispatchEvent(
            new OovooRoomChangeEvent({ role: room.role, locked: room.locked, lobby: room.lobbyEnabled }),
          );
        break;
    }
    el.requestUpdate();
  }

  /** Runs a host's action; a refusal is the element's `oovoo-error`. */
  run(action: (hc: HostController) => Promise<unknown>): void {
    const hc = this.controller;
    if (!hc) return;
    action(hc).then(
      () => this.el.requestUpdate(),
      (e: unknown) => this.el.dispatchEvent(new OovooErrorEvent(OoVooError.from(e).info)),
    );
  }

  /** Closes the notice of a host's mute or stop. */
  dismiss(): void {
    this.notice = undefined;
    this.el.requestUpdate();
  }

  /** Asks the host to confirm removing `uid` (undefined: cancels), and moves focus into the question. */
  confirmRemoval(uid: string | undefined): void {
    this.confirming = uid;
    this.el.requestUpdate();
    if (uid)
      void this.el.updateComplete.then(() =>
        this.el.renderRoot.querySelector<HTMLElement>('[part~="cancel-button"]')?.focus(),
      );
  }

  /** What the stage shows of hosts and the lobby: the waiting screen, a notice, the knocks, an ending. */
  render() {
    return renderHostStage(this);
  }

  /** Starts afresh for a new SDK conference (a new join). */
  private adopt(): void {
    const c = this.el.conference;
    if (!c || c === this.conf) return;
    this.conf = c;
    this.hosted = false;
    this.hostPresent = true;
    this.notice = this.ending = this.confirming = undefined;
  }
}
