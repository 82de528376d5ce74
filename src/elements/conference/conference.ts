import { ContextConsumer, ContextProvider } from '@lit/context';
import { type PropertyValues, type PropertyDeclarations } from 'lit';
import type { Reaction } from '../../protocol/index.js';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { Conference } from '../../sdk/conference/index.js';
import { VideoStateType } from '../../sdk/enums.js';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext, conferenceContext, type ConferenceParticipant } from '../context.js';
import { OovooErrorEvent, OovooLeaveRequestEvent, OovooPinChangeEvent } from '../events/index.js';
import type { PrejoinChoices } from '../events/prejoin-join.js';
import { loadPrejoin } from '../prejoin/load-prejoin.js';
import '../video-tile/video-tile.js';
import type { ControlsView } from './conference-controls.js';
import { renderConference } from './conference-view.js';
import { onPhone } from './stage.js';
import { ConferenceController, type ConferenceHost } from './conference-controller.js';
import { DeviceChooser } from './device-chooser.js';
import styles from './conference.styles.js';
import { DEFAULT_STRINGS, type ConferenceStrings } from './conference-strings.js';
import { ConferenceProperties } from './conference-properties.js';
import { ExtrasController } from '../extras/extras-controller.js';
import type { HostUi } from './host-ui.js';
import type { PipController } from './pip-controller.js';

/**
 * Joins a conference with the client of the `<oovoo-login>` around it, and renders it: a stage of
 * `<oovoo-video-tile>`, a floating bar of icon controls, a participant panel, and the chat (or any
 * content) beside the stage on wide screens. Provides the conference to the elements inside.
 *
 * @tagname oovoo-conference
 * @summary A video conference by markup: tiles, layouts, mute, camera, hands, reactions, participants, leave.
 *
 * @attr conference-id - The conference to join.
 * @attr display-name - The name others see on your tile; by default `<oovoo-login>`'s, else your user id.
 * @attr user-data - Your user data for the others (the spec's `user_data`).
 * @attr resolution - `normal`, `high` (default) or `hd`.
 * @attr min-fps - Lowest frame rate, 5..30 (default 5).
 * @attr max-fps - Highest frame rate, 5..30 (default 15).
 * @attr audio - `off` to start with the microphone muted: it is not opened at all until you unmute.
 * @attr video - `off` to start with the camera off: it is not opened at all until you start it.
 * @attr prejoin - Show `<oovoo-prejoin>` before joining (preview, microphone meter, devices, name, switches); its Join joins with those choices (`autojoin` is then ignored).
 * @attr layout - `grid` (default), `speaker` (whoever speaks large, the others in a strip) or `spotlight` (the pinned participant large). On a phone the grid shows as `speaker`.
 * @attr max-tiles - The most tiles a grid page shows (default 9); the grid pages past it.
 * @attr pinned - Reflected: the pinned participant's uid (pin from a tile's button, or set it). Settable.
 * @attr theme - `dark` (default), `light`, or `auto` (follows the system's `prefers-color-scheme`).
 * @attr participants-open - Reflected: the participant panel is open. Settable.
 * @attr picture-in-picture - Reflected: the call shows in the browser's picture-in-picture window (the PiP button, or `togglePictureInPicture()` from a click).
 * @attr autojoin - Join as soon as the client is connected (and again when the element is added back).
 * @attr state - Reflected: `idle`, `joining`, `waiting` (a lobby holds the join), `joined`, `reconnecting`, `left` or `error`.
 * @attr muted - Reflected: your microphone is muted. Settable.
 * @attr camera-off - Reflected: your camera is off. Settable.
 * @attr hand-raised - Reflected: your hand is raised. Settable.
 * @attr call-role - Reflected, read-only: `host` or `participant` in a call with a host, a lock or a lobby (absent in a plain call).
 * @attr locked - Reflected, read-only: a host locked the call (participants' joins are refused).
 * @attr lobby - Reflected, read-only: the call's lobby is on (participants' joins wait for a host).
 *
 * @fires {OovooStateChangeEvent} oovoo-state-change - The spec's conference state changed. Detail: `{ type, errorCode? }` (ConferenceStateEventType).
 * @fires {OovooParticipantJoinEvent} oovoo-participant-join - Someone joined, you too (`local: true`). Detail: `{ uid, displayName, userData, local }`.
 * @fires {OovooParticipantLeaveEvent} oovoo-participant-leave - Someone left. Detail: `{ uid }`.
 * @fires {OovooJoinEvent} oovoo-join - Joined: after state JOINED and the participant-join of everyone there. Detail: `{ conferenceId, uid }`.
 * @fires {OovooLeaveEvent} oovoo-leave - Left, or the call ended: after the participant-leave events and state DISCONNECTED. Detail: `{ conferenceId, uid, errorCode }`.
 * @fires {OovooLeaveRequestEvent} oovoo-leave-request - The Leave button was pressed; cancelable (call `preventDefault()` to stay). Detail: `{ conferenceId }`.
 * @fires {OovooDataEvent} oovoo-data - Data from another participant (sendData). Detail: `{ uid, data }`.
 * @fires {OovooHandChangeEvent} oovoo-hand-change - A hand was raised or lowered, yours too (`local: true`). Detail: `{ uid, raised, local }`.
 * @fires {OovooReactionEvent} oovoo-reaction - A reaction was sent to the room, yours too. Detail: `{ uid, reaction, local }`.
 * @fires {OovooPinChangeEvent} oovoo-pin-change - The pinned participant changed. Detail: `{ uid }` ('' when unpinned).
 * @fires {OovooErrorEvent} oovoo-error - Joining, a device, a hand or a reaction failed. Detail: the spec's `{ code, name, description }`.
 * @fires {OovooKnockEvent} oovoo-knock - Hosts: someone waits in the lobby. Detail: `{ uid, displayName, userData }`.
 * @fires {OovooLobbyWaitEvent} oovoo-lobby-wait - Your join waits in the lobby (again when hosts come or all go). Detail: `{ hostPresent }`.
 * @fires {OovooHostActionEvent} oovoo-host-action - A host muted you, stopped your video or removed you. Detail: `{ action, by, reason? }`.
 * @fires {OovooRoomChangeEvent} oovoo-room-change - Your role, the lock or the lobby changed. Detail: `{ role, locked, lobby }`.
 *
 * @slot - Beside the stage on wide screens, below it on narrow ones (for example an `<oovoo-chat>`); on a phone in a call, a sheet under the call (beside it in landscape) that an `<oovoo-chat>` opens and closes itself.
 * @slot tiles - Replaces the built-in stage: lay out your own `<oovoo-video-tile>` elements.
 * @slot controls - Replaces the whole control bar.
 * @slot controls-start - Extra controls before the built-in ones.
 * @slot controls-end - Extra controls after the built-in ones.
 *
 * @csspart base - The wrapper of everything.
 * @csspart stage - The call's dark stage: tiles, status and control bar.
 * @csspart grid - The tiles of the layout.
 * @csspart main - The large tile of the speaker and spotlight layouts.
 * @csspart filmstrip - The strip of the other tiles in the speaker and spotlight layouts.
 * @csspart pager - The grid's page buttons (past `max-tiles`).
 * @csspart tile - Each built-in tile (its own parts are exported as `tile-base`, `tile-video`, `tile-name`, `tile-mic`).
 * @csspart controls - The control bar.
 * @csspart control - Every control button.
 * @csspart icon - Every icon.
 * @csspart mic-button - The mute button.
 * @csspart camera-button - The camera button.
 * @csspart share-button - Starts or stops sharing your screen (hidden where screens cannot be captured).
 * @csspart screen-tile - The tile of a shared screen (it takes the large area while someone shares).
 * @csspart hand-button - Raises or lowers your hand.
 * @csspart reactions-button - Opens the reactions.
 * @csspart reaction-picker - The reactions to choose from.
 * @csspart reaction-choice - Each reaction button.
 * @csspart participants-button - Opens or closes the participant panel.
 * @csspart pip-button - Opens or closes picture-in-picture (where the browser has it).
 * @csspart pip-video - The hidden video that the video element's picture-in-picture shows (where there is no Document Picture-in-Picture).
 * @csspart leave-button - The leave button.
 * @csspart join-button - The join button (when not in the call).
 * @csspart prejoin - The `<oovoo-prejoin>` shown before joining (with `prejoin`).
 * @csspart devices - The device chooser.
 * @csspart devices-button - Opens the device chooser.
 * @csspart device-select - Each device list.
 * @csspart panel - The participant panel.
 * @csspart panel-header - Its title and close button.
 * @csspart panel-close - Its close button.
 * @csspart participant-list - The list of participants.
 * @csspart participant - One participant in the panel.
 * @csspart participant-name - The name in the panel.
 * @csspart participant-states - The hand, microphone and camera marks in the panel.
 * @csspart host-badge - "Host" beside a host's name in the panel.
 * @csspart host-controls - Hosts: the panel's lock and lobby switches (`lock-button`, `lobby-button`).
 * @csspart host-action - Hosts: each action on a participant in the panel (`mute-participant`, `stop-participant-video`, `remove-participant`).
 * @csspart remove-confirm - Hosts: the question before a removal, with `remove-button` and `cancel-button`.
 * @csspart knocks - Hosts: who waits in the lobby, each a `knock` with `admit-button` and `deny-button`.
 * @csspart lobby - The waiting screen of a join the lobby holds (with `lobby-message`, `lobby-no-host`, `lobby-leave-button`).
 * @csspart notice - A host muted you or stopped your video.
 * @csspart side - Around the default slot (the chat).
 * @csspart status - The status line.
 * @csspart error - The error message (a host's removal or the lobby's refusal in words).
 *
 * @cssprop [--oovoo-stage-background=#0f1115] - The stage behind the tiles (light theme: #eef0f3).
 * @cssprop [--oovoo-surface=#1c1f26] - Panels and tiles (light theme: #ffffff).
 * @cssprop [--oovoo-color-text=#e8eaed] - Text on the stage and panels (light theme: #1d1d1f).
 * @cssprop [--oovoo-control-background=#2b2f38] - Control buttons (light theme: #e3e6ea).
 * @cssprop [--oovoo-control-active-background=#e8eaed] - A pressed toggle, such as a muted microphone.
 * @cssprop [--oovoo-color-accent=#2563eb] - Focus ring and highlights.
 * @cssprop [--oovoo-color-danger=#e5484d] - Leave button and error color.
 * @cssprop [--oovoo-radius=12px] - Corner radius of the stage, panels and tiles.
 * @cssprop [--oovoo-conference-gap=0.75rem] - Space between tiles, panels and controls.
 * @cssprop [--oovoo-tile-min-width=160px] - Narrowest tile before the grid wraps.
 * @cssprop [--oovoo-side-width=22rem] - Width of the side column (the chat) on wide screens.
 * @cssprop [--oovoo-phone-z-index=1000] - On a phone, where the call (which then covers the screen) stacks over the page.
 */
export class OovooConference extends ConferenceProperties implements ConferenceHost, ControlsView {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    errorInfo: { state: true, attribute: false },
    deviceNotice: { state: true, attribute: false },
    page: { state: true, attribute: false },
  };
  // EXTRAS_STRINGS are not in the SDK script: the extras carry their English themselves (conference-strings.ts).
  protected readonly defaultStrings = DEFAULT_STRINGS as ConferenceStrings;

  declare private errorInfo: ErrorInfo | undefined;
  declare private deviceNotice: string | undefined;
  /** The lazily loaded parts (panel, reaction picker, device lists), once something needed them. */
  private readonly extras = new ExtrasController(this, (extras) => extras.extrasStyles);
  /** Picture-in-picture, made (with the extras) on the PiP button's first click. */
  private pip: PipController | undefined;
  /** Hosts and the lobby, made (with the extras) on the SDK's first host or lobby event. */
  private hostUi: HostUi | undefined;
  private page = 0;

  private readonly call = new ConferenceController(this);
  private readonly deviceChooser = new DeviceChooser(
    this,
    () => this.call.conference !== undefined,
    () => this.extras.value,
    () => this.extras.use(),
  );

  private readonly client = new ContextConsumer(this, {
    context: clientContext,
    subscribe: true,
    callback: () => this.maybeAutojoin(),
  });
  private readonly provider = new ContextProvider(this, { context: conferenceContext, initialValue: undefined });

  /** The SDK conference while joining or joined. */
  get conference(): Conference | undefined {
    return this.call.conference;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => this.maybeAutojoin());
  }

  override disconnectedCallback(): void {
    // The controllers leave the call and stop listening for devices; added back with autojoin, it joins anew.
    super.disconnectedCallback();
    this.state = 'idle';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // `audio="off"` / `video="off"` set how a call starts.
    if (changed.has('audio') && !this.conference && this.audio === 'off') this.muted = true;
    if (changed.has('video') && !this.conference && this.video === 'off') this.cameraOff = true;
    // The pre-join is loaded on first use: render again once it is defined (until then, and if it
    // cannot be loaded, the plain Join button shows).
    if (this.prejoin && !customElements.get('oovoo-prejoin'))
      void loadPrejoin().then(
        () => this.requestUpdate(),
        () => undefined,
      );
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('muted')) this.call.setMuted(this.muted);
    if (changed.has('cameraOff')) this.call.setCameraOff(this.cameraOff);
    // The SDK tells the hand back through handChanged; a refused change puts the attribute back.
    if (changed.has('handRaised') && this.handRaised !== this.call.handRaised && this.conference)
      void this.call.setHandRaised(this.handRaised).then(() => (this.handRaised = this.call.handRaised));
    if (changed.has('pinned') && changed.get('pinned') !== undefined)
      this.emit(new OovooPinChangeEvent({ uid: this.pinned }));
    if (changed.has('autojoin') || changed.has('conferenceId')) queueMicrotask(() => this.maybeAutojoin());
    // On a phone at once: its styles are the extras'.
    if (this.participantsOpen || this.reactionsOpen || onPhone()) this.extras.use();
    this.publish();
  }

  /**
   * Joins `conference-id` with the signed-in user (needs a connected `<oovoo-login>` around); given the
   * choices of an `<oovoo-prejoin>` (its `oovoo-prejoin-join` detail), with exactly those.
   */
  async join(choices?: PrejoinChoices): Promise<void> {
    if (choices) {
      this.displayName = choices.displayName;
      this.muted = !choices.audio;
      this.cameraOff = !choices.video;
      this.cameraId = choices.cameraId;
      this.microphoneId = choices.microphoneId;
      this.deviceChooser.sinkId = choices.speakerId;
    }
    this.errorInfo = this.deviceNotice = undefined;
    await this.call.joinWith(this.client.value, this);
    if (this.state !== 'joined') return;
    void this.deviceChooser.refresh();
    // A hand raised before the join (the attribute) goes up now.
    if (this.handRaised) void this.call.setHandRaised(true);
  }

  /** Leaves the conference; the camera and microphone are released. */
  leave(): void {
    this.call.leave();
  }

  /** Sends one of `ooVooClient.Reactions` to the room: it shows on your tile on every page. */
  sendReaction(reaction: Reaction): void {
    this.reactionsOpen = false;
    void this.call.sendReaction(reaction);
  }

  /** You share a screen now. */
  get sharing(): boolean {
    return this.call.live.share !== undefined && this.call.live.share.uid === this.call.uid;
  }

  /** Starts (true) or stops sharing a screen (the browser asks which); the share takes the stage on every page. */
  shareScreen(on: boolean): void {
    void this.call.setSharing(on);
  }

  /** Opens or closes the picture-in-picture window of the call (it follows the speaker, or the share). */
  togglePictureInPicture(): void {
    const view = () => [this.participants(), this.call.live.speakers, this.t('screen')] as const;
    void this.extras.use().then((x) => x && (this.pip ??= new x.PipController(this, view)).toggle());
  }

  /** @internal The call failed to join, or a device could not be switched. */
  onConferenceError(error: ErrorInfo): void {
    this.state = 'error';
    // Refused by the lock or the lobby (-60310…-60314; a join meets no lower code): the host UI says why in words.
    if (error.code < -60309) this.onHostEvent('ended', error);
    else {
      this.errorInfo = error;
      // What to change, in words, once the extras are here; until then the spec's description.
      void this.extras.use().then((x) => {
        if (x && this.errorInfo === error)
          this.errorInfo = {
            ...error,
            description: x.adviseError(error, { element: 'oovoo-conference' }, (k) => this.t(k)),
          };
      });
    }
    this.emit(new OovooErrorEvent(error));
  }

  /** @internal The camera or microphone could not be opened (the spec's state type): said in the status line. */
  onDeviceProblem(type: string): void {
    void this.extras.use().then((x) => (this.deviceNotice = x?.adviseDevice(type, (k) => this.t(k))));
  }

  /** @internal A host or lobby event (or `ended`): the host UI takes them in order, once the extras are here. */
  onHostEvent(name: string, e: unknown): void {
    void this.extras.use().then((x) => x && (this.hostUi ??= new x.HostUi(this, (k) => this.t(k))).handle(name, e));
  }

  private maybeAutojoin(): void {
    this.call.followClient(
      this.client.value,
      this.autojoin && !this.prejoin && this.isConnected && this.state === 'idle',
      () => this.join(),
    );
  }

  private participants(): ConferenceParticipant[] {
    if (!this.conference || this.state === 'joining') return [];
    const video = this.cameraOff ? VideoStateType.PAUSED : VideoStateType.PLAY;
    const name = this.displayName || this.client.value?.displayName;
    return this.call.participants({ name, userData: this.userData, video, muted: this.muted });
  }

  /** Shares the conference with the tiles (and chat) inside. */
  private publish(): void {
    this.provider.setValue({
      conference: this.state === 'joined' || this.state === 'reconnecting' ? this.conference : undefined,
      conferenceId: this.conferenceId,
      uid: this.call.uid,
      state: this.state,
      participants: this.participants(),
      sinkId: this.deviceChooser.sinkId,
      pinned: this.pinned,
      pin: (uid) => this.pin(uid),
    });
  }

  /** What the Leave button does: `oovoo-leave-request` first, then leaves unless a listener cancelled it. */
  requestLeave(): void {
    if (this.emit(new OovooLeaveRequestEvent({ conferenceId: this.conferenceId }))) this.leave();
  }

  protected override render() {
    return renderConference({
      el: this,
      t: (key) => this.t(key),
      people: this.participants(),
      speakers: this.call.live.speakers,
      page: this.page,
      turnPage: (page) => (this.page = Math.max(0, page)),
      error: this.errorInfo,
      notice: this.deviceNotice,
      extras: this.extras.value,
      host: this.hostUi,
      devices: this.deviceChooser.render(
        (key) => this.t(key),
        this.call.localStream,
        (kind, deviceId) => kind !== 'speaker' && void this.call.switchDevice(kind, deviceId),
      ),
    });
  }
}

OovooConference.define('oovoo-conference');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-conference': OovooConference;
  }
}
