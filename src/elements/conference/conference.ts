import { ContextConsumer, ContextProvider } from '@lit/context';
import { html, type PropertyValues, type PropertyDeclarations } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { Conference } from '../../sdk/conference/index.js';
import { ConnectionState, VideoStateType } from '../../sdk/enums.js';
import { OoVooError } from '../../sdk/errors.js';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext, conferenceContext, type ConferenceParticipant, type ConferenceState } from '../context.js';
import { OovooErrorEvent, OovooLeaveRequestEvent } from '../events/index.js';
import '../video-tile/video-tile.js';
import { ConferenceController, type ConferenceHost } from './conference-controller.js';
import { DeviceChooser, type DeviceKind } from './device-chooser.js';
import styles from './conference.styles.js';
import { DEFAULT_STRINGS, type ConferenceStrings } from './conference-strings.js';

/**
 * Joins a conference with the client of the `<oovoo-login>` around it, and renders it: a grid of
 * `<oovoo-video-tile>` and a control bar. Provides the conference to the elements inside.
 *
 * @tagname oovoo-conference
 * @summary A video conference by markup: tiles, mute, camera, leave and device choice.
 *
 * @attr conference-id - The conference to join.
 * @attr display-name - The name others see on your tile; by default `<oovoo-login>`'s, else your user id.
 * @attr user-data - Your user data for the others (the spec's `user_data`).
 * @attr resolution - `normal`, `high` (default) or `hd`.
 * @attr min-fps - Lowest frame rate, 5..30 (default 5).
 * @attr max-fps - Highest frame rate, 5..30 (default 15).
 * @attr audio - `off` to start with the microphone muted.
 * @attr video - `off` to start with the camera off.
 * @attr layout - `grid` (default) or `speaker` (the first other participant large).
 * @attr autojoin - Join as soon as the client is connected (and again when the element is added back).
 * @attr state - Reflected: `idle`, `joining`, `joined`, `reconnecting`, `left` or `error`.
 * @attr muted - Reflected: your microphone is muted. Settable.
 * @attr camera-off - Reflected: your camera is off. Settable.
 *
 * @fires {OovooStateChangeEvent} oovoo-state-change - The spec's conference state changed. Detail: `{ type, errorCode? }` (ConferenceStateEventType).
 * @fires {OovooParticipantJoinEvent} oovoo-participant-join - Someone joined, you too (`local: true`). Detail: `{ uid, displayName, userData, local }`.
 * @fires {OovooParticipantLeaveEvent} oovoo-participant-leave - Someone left. Detail: `{ uid }`.
 * @fires {OovooJoinEvent} oovoo-join - Joined: after state JOINED and the participant-join of everyone there. Detail: `{ conferenceId, uid }`.
 * @fires {OovooLeaveEvent} oovoo-leave - Left, or the call ended: after the participant-leave events and state DISCONNECTED. Detail: `{ conferenceId, uid, errorCode }`.
 * @fires {OovooLeaveRequestEvent} oovoo-leave-request - The Leave button was pressed; cancelable (call `preventDefault()` to stay). Detail: `{ conferenceId }`.
 * @fires {OovooDataEvent} oovoo-data - Data from another participant (sendData). Detail: `{ uid, data }`.
 * @fires {OovooErrorEvent} oovoo-error - Joining or a device failed. Detail: the spec's `{ code, name, description }`.
 *
 * @slot - Content below the controls (for example an `<oovoo-chat>`).
 * @slot tiles - Replaces the built-in grid: lay out your own `<oovoo-video-tile>` elements.
 * @slot controls - Replaces the whole control bar.
 * @slot controls-start - Extra controls before the built-in ones.
 * @slot controls-end - Extra controls after the built-in ones.
 *
 * @csspart base - The wrapper of everything.
 * @csspart grid - The grid of tiles.
 * @csspart tile - Each built-in tile (its own parts are exported as `tile-base`, `tile-video`, `tile-name`, `tile-mic`).
 * @csspart controls - The control bar.
 * @csspart control - Every control button.
 * @csspart mic-button - The mute button.
 * @csspart camera-button - The camera button.
 * @csspart leave-button - The leave button.
 * @csspart join-button - The join button (when not in the call).
 * @csspart devices - The device chooser.
 * @csspart device-select - Each device list.
 * @csspart status - The status line.
 * @csspart error - The error message.
 *
 * @cssprop [--oovoo-conference-gap=0.5rem] - Space between tiles and controls.
 * @cssprop [--oovoo-tile-min-width=240px] - Narrowest tile before the grid wraps.
 * @cssprop [--oovoo-color-accent=#0a66d8] - Button and focus color.
 * @cssprop [--oovoo-color-danger=#c62828] - Leave button and error color.
 * @cssprop [--oovoo-radius=6px] - Corner radius of controls.
 * @cssprop [--oovoo-controls-background=transparent] - Background of the control bar.
 */
export class OovooConference extends OovooElement<ConferenceStrings> implements ConferenceHost {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    conferenceId: { attribute: 'conference-id' },
    displayName: { attribute: 'display-name' },
    userData: { attribute: 'user-data' },
    resolution: {},
    minFps: { attribute: 'min-fps', type: Number },
    maxFps: { attribute: 'max-fps', type: Number },
    audio: {},
    video: {},
    layout: { reflect: true },
    autojoin: { type: Boolean },
    state: { reflect: true },
    muted: { type: Boolean, reflect: true },
    cameraOff: { type: Boolean, reflect: true, attribute: 'camera-off' },
    errorInfo: { state: true, attribute: false },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS;

  conferenceId = '';
  displayName = '';
  userData = '';
  resolution: 'normal' | 'high' | 'hd' = 'high';
  minFps = 5;
  maxFps = 15;
  audio: 'on' | 'off' = 'on';
  video: 'on' | 'off' = 'on';
  layout: 'grid' | 'speaker' = 'grid';
  autojoin = false;
  state: ConferenceState = 'idle';
  muted = false;
  cameraOff = false;

  declare private errorInfo: ErrorInfo | undefined;

  private readonly call = new ConferenceController(this);
  private readonly deviceChooser = new DeviceChooser(this, () => this.call.conference !== undefined);
  private audioCtx: AudioContext | undefined;

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
    void this.audioCtx?.close().catch(() => undefined);
    this.audioCtx = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // `audio="off"` / `video="off"` set how a call starts.
    if (changed.has('audio') && !this.conference && this.audio === 'off') this.muted = true;
    if (changed.has('video') && !this.conference && this.video === 'off') this.cameraOff = true;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('muted')) this.call.setMuted(this.muted);
    if (changed.has('cameraOff')) this.call.setCameraOff(this.cameraOff);
    if (changed.has('autojoin') || changed.has('conferenceId')) queueMicrotask(() => this.maybeAutojoin());
    this.publish();
  }

  /** Joins `conference-id` with the signed-in user (needs a connected `<oovoo-login>` around). */
  async join(): Promise<void> {
    if (this.conference) return;
    const client = this.client.value;
    if (!client || client.state !== ConnectionState.Connected || !client.userId) {
      this.onConferenceError(
        OoVooError.unspecified('Not connected: put <oovoo-conference> inside a signed-in <oovoo-login>.').info,
      );
      return;
    }
    if (!this.conferenceId) {
      this.onConferenceError(OoVooError.badRequest('conference-id is required.').info);
      return;
    }
    this.errorInfo = undefined;
    const uid = client.userId;
    await this.call.join(client.client, {
      conferenceId: this.conferenceId,
      uid,
      displayName: this.displayName || client.displayName || uid,
      userData: this.userData,
      resolution: this.resolution,
      minFps: this.minFps,
      maxFps: this.maxFps,
      muted: this.muted,
      cameraOff: this.cameraOff,
    });
    if (this.state === 'joined') void this.deviceChooser.refresh();
  }

  /** Leaves the conference; the camera and microphone are released. */
  leave(): void {
    this.call.leave();
  }

  /** Mutes (true) or unmutes your microphone. */
  setMicMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** Turns your camera on (true) or off. */
  setCameraOn(on: boolean): void {
    this.cameraOff = !on;
  }

  /** @internal The call failed to join, or a device could not be switched. */
  onConferenceError(error: ErrorInfo): void {
    this.errorInfo = error;
    this.state = 'error';
    this.emit(new OovooErrorEvent(error));
  }

  private maybeAutojoin(): void {
    const client = this.client.value;
    if (
      this.autojoin &&
      this.isConnected &&
      this.state === 'idle' &&
      this.conferenceId &&
      client?.state === ConnectionState.Connected
    ) {
      void this.join();
    }
    // Signed out under a running call: it is over.
    if (
      this.conference &&
      client?.state !== ConnectionState.Connected &&
      client?.state !== ConnectionState.Reconnecting
    )
      this.leave();
  }

  private chooseDevice(kind: DeviceKind, deviceId: string): void {
    if (kind !== 'speaker') void this.call.switchDevice(kind, deviceId);
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
      audioContext: () => {
        if (!this.audioCtx && typeof AudioContext !== 'undefined' && this.isConnected) {
          this.audioCtx = new AudioContext();
          void this.audioCtx.resume().catch(() => undefined);
        }
        return this.audioCtx;
      },
    });
  }

  private requestLeave(): void {
    if (this.emit(new OovooLeaveRequestEvent({ conferenceId: this.conferenceId }))) this.leave();
  }

  protected override render() {
    const inCall = this.state === 'joined' || this.state === 'reconnecting';
    const people = this.participants();
    // Speaker layout: the first other participant takes the big tile.
    const ordered = this.layout === 'speaker' ? [...people.slice(1), ...people.slice(0, 1)] : people;
    return html`<div part="base">
      <slot name="tiles">
        <div part="grid" role="list" aria-label=${this.t('participants')}>
          ${ordered.map(
            (p) =>
              html`<oovoo-video-tile
                role="listitem"
                part="tile"
                exportparts="base:tile-base,video:tile-video,name:tile-name,mic:tile-mic"
                participant=${p.local ? 'local' : p.uid}
                ?mirror=${p.local}
                .strings=${this.strings}
              ></oovoo-video-tile>`,
          )}
        </div>
      </slot>
      ${this.renderStatus()}
      <slot name="controls">
        <div part="controls" role="toolbar" aria-label=${this.t('controls')}>
          <slot name="controls-start"></slot>
          ${inCall ? this.renderCallControls() : this.renderJoin()}
          <slot name="controls-end"></slot>
        </div>
      </slot>
      <slot></slot>
    </div>`;
  }

  private renderStatus() {
    if (this.errorInfo)
      return html`<p part="error" role="alert">${this.errorInfo.description} (${this.errorInfo.code})</p>`;
    const s = this.state;
    const text = s === 'joining' || s === 'reconnecting' || s === 'left' ? this.t(s) : '';
    return html`<p part="status" role="status">${text}</p>`;
  }

  private renderJoin() {
    return html`<button
      part="control join-button"
      type="button"
      ?disabled=${this.state === 'joining'}
      @click=${() => void this.join()}
    >
      ${this.t('join')}
    </button>`;
  }

  private renderCallControls() {
    // Each button says what pressing it does: "Unmute" while muted, "Start video" while the camera is off.
    return html`<button
        part="control mic-button"
        type="button"
        aria-pressed=${this.muted}
        @click=${() => this.setMicMuted(!this.muted)}
      >
        ${this.t(this.muted ? 'unmute' : 'mute')}
      </button>
      <button
        part="control camera-button"
        type="button"
        aria-pressed=${this.cameraOff}
        @click=${() => this.setCameraOn(this.cameraOff)}
      >
        ${this.t(this.cameraOff ? 'startVideo' : 'stopVideo')}
      </button>
      ${this.deviceChooser.render(
        (key) => this.t(key),
        this.call.localStream,
        (kind, deviceId) => this.chooseDevice(kind, deviceId),
      )}
      <button part="control leave-button" type="button" @click=${() => this.requestLeave()}>
        ${this.t('leave')}
      </button>`;
  }
}

OovooConference.define('oovoo-conference');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-conference': OovooConference;
  }
}
