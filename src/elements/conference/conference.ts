import { ContextConsumer, ContextProvider } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { Conference } from '../../sdk/conference/index.js';
import { ConferenceStateEventType, ConnectionState, VideoResolution, VideoStateType } from '../../sdk/enums.js';
import { OoVooError } from '../../sdk/errors.js';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext, conferenceContext, type ConferenceParticipant, type ConferenceState } from '../context.js';
import {
  OovooDataEvent,
  OovooErrorEvent,
  OovooJoinEvent,
  OovooLeaveEvent,
  OovooLeaveRequestEvent,
  OovooParticipantJoinEvent,
  OovooParticipantLeaveEvent,
  OovooStateChangeEvent,
} from '../events/index.js';
import '../video-tile/video-tile.js';
import type { VideoTileStrings } from '../video-tile/video-tile.js';
import { decodeUserData, encodeUserData } from './user-data.js';
import styles from './conference.styles.js';

const DEFAULT_STRINGS = {
  join: 'Join',
  leave: 'Leave',
  mute: 'Mute',
  unmute: 'Unmute',
  stopVideo: 'Stop video',
  startVideo: 'Start video',
  controls: 'Call controls',
  participants: 'Participants',
  devices: 'Devices',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  defaultDevice: 'Default',
  joining: 'Joining…',
  reconnecting: 'Reconnecting…',
  left: 'You left the call.',
  you: 'You',
  micMuted: 'Microphone off',
  videoOff: 'Camera off',
  speaking: 'Speaking',
  waiting: 'Not in the call',
} satisfies VideoTileStrings & Record<string, string>;
export type ConferenceStrings = typeof DEFAULT_STRINGS;

const RESOLUTIONS = { normal: VideoResolution.NORMAL, high: VideoResolution.HIGH, hd: VideoResolution.HD } as const;

type Remote = Omit<ConferenceParticipant, 'local'>;

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
 * @fires oovoo-state-change - The spec's conference state changed. Detail: `{ type, errorCode? }` (ConferenceStateEventType).
 * @fires oovoo-participant-join - Someone joined, you too (`local: true`). Detail: `{ uid, displayName, userData, local }`.
 * @fires oovoo-participant-leave - Someone left. Detail: `{ uid }`.
 * @fires oovoo-join - Joined: after state JOINED and the participant-join of everyone there. Detail: `{ conferenceId, uid }`.
 * @fires oovoo-leave - Left, or the call ended: after the participant-leave events and state DISCONNECTED. Detail: `{ conferenceId, uid, errorCode }`.
 * @fires oovoo-leave-request - The Leave button was pressed; cancelable (call `preventDefault()` to stay). Detail: `{ conferenceId }`.
 * @fires oovoo-data - Data from another participant (sendData). Detail: `{ uid, data }`.
 * @fires oovoo-error - Joining or a device failed. Detail: the spec's `{ code, name, description }`.
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
export class OovooConference extends OovooElement<ConferenceStrings> {
  static override styles = [OovooElement.styles, styles];
  protected readonly defaultStrings = DEFAULT_STRINGS;

  @property({ attribute: 'conference-id' }) conferenceId = '';
  @property({ attribute: 'display-name' }) displayName = '';
  @property({ attribute: 'user-data' }) userData = '';
  @property() resolution: 'normal' | 'high' | 'hd' = 'high';
  @property({ attribute: 'min-fps', type: Number }) minFps = 5;
  @property({ attribute: 'max-fps', type: Number }) maxFps = 15;
  @property() audio: 'on' | 'off' = 'on';
  @property() video: 'on' | 'off' = 'on';
  @property({ reflect: true }) layout: 'grid' | 'speaker' = 'grid';
  @property({ type: Boolean }) autojoin = false;
  @property({ reflect: true }) state: ConferenceState = 'idle';
  @property({ type: Boolean, reflect: true }) muted = false;
  @property({ type: Boolean, reflect: true, attribute: 'camera-off' }) cameraOff = false;

  @state() private errorInfo: ErrorInfo | undefined;
  @state() private devices: MediaDeviceInfo[] = [];
  @state() private sinkId = '';
  @state() private remotes = new Map<string, Remote>();
  @state() private localStream: MediaStream | undefined;

  /** The SDK conference while joining or joined. */
  conference: Conference | undefined;
  private uid: string | undefined;
  private unsubscribe: Array<() => void> = [];
  private audioCtx: AudioContext | undefined;

  private readonly client = new ContextConsumer(this, {
    context: clientContext,
    subscribe: true,
    callback: () => this.maybeAutojoin(),
  });
  private readonly provider = new ContextProvider(this, { context: conferenceContext, initialValue: undefined });
  private readonly onDeviceChange = () => void this.listDevices();

  override connectedCallback(): void {
    super.connectedCallback();
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
    void this.updateComplete.then(() => this.maybeAutojoin());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    // Removed mid-call: leave, end the camera and microphone; added back with autojoin, join anew.
    this.leave();
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
    const c = this.conference;
    if (c && changed.has('muted')) c.AudioController.setRecorderMute(this.muted);
    if (c && changed.has('cameraOff')) {
      if (this.cameraOff) c.VideoController.stopTransmit();
      else c.VideoController.startTransmit();
    }
    if (changed.has('autojoin') || changed.has('conferenceId')) queueMicrotask(() => this.maybeAutojoin());
    this.publish();
  }

  /** Joins `conference-id` with the signed-in user (needs a connected `<oovoo-login>` around). */
  async join(): Promise<void> {
    if (this.conference) return;
    const client = this.client.value;
    if (!client || client.state !== ConnectionState.Connected || !client.userId) {
      this.fail(OoVooError.unspecified('Not connected: put <oovoo-conference> inside a signed-in <oovoo-login>.').info);
      return;
    }
    if (!this.conferenceId) {
      this.fail(OoVooError.badRequest('conference-id is required.').info);
      return;
    }
    const uid = client.userId;
    const c = client.client.AVChat.init({
      audio: true,
      video: true,
      videoResolution: RESOLUTIONS[this.resolution] ?? VideoResolution.HIGH,
      videoFrameRate: [this.minFps, this.maxFps],
    });
    this.conference = c;
    this.uid = uid;
    this.errorInfo = undefined;
    this.state = 'joining';
    c.AudioController.setRecorderMute(this.muted);
    if (this.cameraOff) c.VideoController.stopTransmit();
    this.listen(c);
    void c.localStream.then((stream) => {
      if (this.conference === c) this.localStream = stream;
    });
    const name = this.displayName || client.displayName || uid;
    try {
      await c.join(this.conferenceId, uid, encodeUserData(name, this.userData));
    } catch (e) {
      if (this.conference !== c) return;
      this.end(c, undefined);
      this.fail(e instanceof OoVooError ? e.info : OoVooError.unspecified(String(e)).info);
      return;
    }
    if (this.conference !== c) {
      // Left (or removed) while joining: leave what the server just gave us.
      c.leave();
      return;
    }
    this.state = 'joined';
    void this.listDevices();
    this.emit(new OovooJoinEvent({ conferenceId: this.conferenceId, uid }));
  }

  /** Leaves the conference; the camera and microphone are released. */
  leave(): void {
    const c = this.conference;
    if (!c) return;
    // The SDK's leave fires participant-leave and DISCONNECTED, which end the call here.
    c.leave();
    this.end(c, '');
  }

  /** Mutes (true) or unmutes your microphone. */
  setMicMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** Turns your camera on (true) or off. */
  setCameraOn(on: boolean): void {
    this.cameraOff = !on;
  }

  private maybeAutojoin(): void {
    const client = this.client.value;
    if (this.autojoin && this.isConnected && this.state === 'idle' && this.conferenceId && client?.state === ConnectionState.Connected) {
      void this.join();
    }
    // Signed out under a running call: it is over.
    if (this.conference && client?.state !== ConnectionState.Connected && client?.state !== ConnectionState.Reconnecting) this.leave();
  }

  private listen(c: Conference): void {
    const events = c.events;
    this.unsubscribe = [
      events.on('conferenceStateChanged', (e) => {
        this.emit(new OovooStateChangeEvent(e.errorCode === undefined ? { type: e.type } : { type: e.type, errorCode: e.errorCode }));
        if (e.type === ConferenceStateEventType.RECONNECTING) this.state = 'reconnecting';
        if (e.type === ConferenceStateEventType.RECONNECTED) this.state = 'joined';
        if (e.type === ConferenceStateEventType.DISCONNECTED) this.end(c, e.errorCode ?? '');
      }),
      events.on('participantJoined', (e) => {
        const local = e.uid === this.uid;
        const { displayName, userData } = decodeUserData(e.user_data, e.uid);
        if (local) this.localStream = e.stream;
        else {
          const info = c.remoteParticipant(e.uid);
          const video = info?.video ?? VideoStateType.PLAY;
          this.setRemote({ uid: e.uid, displayName, userData, stream: e.stream, video, muted: info?.muted ?? false });
        }
        this.emit(new OovooParticipantJoinEvent({ uid: e.uid, displayName, userData, local }));
      }),
      events.on('participantLeft', (e) => {
        const next = new Map(this.remotes);
        next.delete(e.uid);
        this.remotes = next;
        this.emit(new OovooParticipantLeaveEvent({ uid: e.uid }));
      }),
      events.on('remoteVideoStateChanged', (e) => this.patchRemote(e.uid, { video: e.state })),
      events.on('remoteAudioStateChanged', (e) => this.patchRemote(e.uid, { muted: e.muted })),
      events.on('receiveData', (e) => this.emit(new OovooDataEvent({ uid: e.uid, data: e.data }))),
    ];
  }

  private setRemote(remote: Remote): void {
    this.remotes = new Map(this.remotes).set(remote.uid, remote);
  }

  private patchRemote(uid: string, patch: Partial<Remote>): void {
    const remote = this.remotes.get(uid);
    if (remote) this.setRemote({ ...remote, ...patch });
  }

  /** The call is over (left, ended, or the join failed: errorCode undefined). Idempotent per conference. */
  private end(c: Conference, errorCode: string | undefined): void {
    if (this.conference !== c) return;
    this.conference = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
    // The SDK leaves the local tracks to the app: end them, so the camera light goes off.
    void c.localStream.then((stream) => {
      for (const track of stream.getTracks()) track.stop();
    });
    this.localStream = undefined;
    this.remotes = new Map();
    const uid = this.uid ?? '';
    this.uid = undefined;
    if (errorCode === undefined) return;
    this.state = errorCode ? 'error' : 'left';
    this.emit(new OovooLeaveEvent({ conferenceId: this.conferenceId, uid, errorCode }));
  }

  private fail(error: ErrorInfo): void {
    this.errorInfo = error;
    this.state = 'error';
    this.emit(new OovooErrorEvent(error));
  }

  private async listDevices(): Promise<void> {
    if (!this.conference || !navigator.mediaDevices?.enumerateDevices) return;
    this.devices = await navigator.mediaDevices.enumerateDevices();
  }

  private async chooseDevice(kind: 'audio' | 'video' | 'speaker', deviceId: string): Promise<void> {
    if (kind === 'speaker') {
      this.sinkId = deviceId;
      return;
    }
    try {
      await this.conference?.switchDevice(kind, deviceId);
      this.requestUpdate();
    } catch (e) {
      this.fail(e instanceof OoVooError ? e.info : OoVooError.unspecified(String(e)).info);
    }
  }

  private participants(): ConferenceParticipant[] {
    if (!this.conference || !this.uid || !this.localStream || this.state === 'joining') return [];
    const self: ConferenceParticipant = {
      uid: this.uid,
      displayName: this.displayName || this.client.value?.displayName || this.uid,
      userData: this.userData,
      stream: this.localStream,
      local: true,
      video: this.cameraOff ? VideoStateType.PAUSED : VideoStateType.PLAY,
      muted: this.muted,
    };
    return [self, ...[...this.remotes.values()].map((r) => ({ ...r, local: false }))];
  }

  /** Shares the conference with the tiles (and chat) inside. */
  private publish(): void {
    this.provider.setValue({
      conference: this.state === 'joined' || this.state === 'reconnecting' ? this.conference : undefined,
      conferenceId: this.conferenceId,
      uid: this.uid,
      state: this.state,
      participants: this.participants(),
      sinkId: this.sinkId,
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
    if (this.errorInfo) return html`<p part="error" role="alert">${this.errorInfo.description} (${this.errorInfo.code})</p>`;
    const s = this.state;
    const text = s === 'joining' || s === 'reconnecting' || s === 'left' ? this.t(s) : '';
    return html`<p part="status" role="status">${text}</p>`;
  }

  private renderJoin() {
    return html`<button part="control join-button" type="button" ?disabled=${this.state === 'joining'} @click=${() => void this.join()}>
      ${this.t('join')}
    </button>`;
  }

  private renderCallControls() {
    return html`<button part="control mic-button" type="button" aria-pressed=${this.muted} @click=${() => this.setMicMuted(!this.muted)}>
        ${this.t('mute')}
      </button>
      <button part="control camera-button" type="button" aria-pressed=${this.cameraOff} @click=${() => this.setCameraOn(this.cameraOff)}>
        ${this.t('stopVideo')}
      </button>
      ${this.renderDevices()}
      <button part="control leave-button" type="button" @click=${() => this.requestLeave()}>${this.t('leave')}</button>`;
  }

  private renderDevices() {
    const current = (kind: 'audio' | 'video') => this.localStream?.getTracks().find((t) => t.kind === kind)?.getSettings().deviceId ?? '';
    const canSink = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
    const lists = [
      ['video', 'videoinput', this.t('camera'), current('video')],
      ['audio', 'audioinput', this.t('microphone'), current('audio')],
      ...(canSink ? [['speaker', 'audiooutput', this.t('speaker'), this.sinkId] as const] : []),
    ] as const;
    const shown = lists.filter(([, type]) => this.devices.some((d) => d.kind === type && d.deviceId));
    if (shown.length === 0) return nothing;
    return html`<details part="devices">
      <summary>${this.t('devices')}</summary>
      ${shown.map(
        ([kind, type, label, selected]) => html`<label
          >${label}
          <select part="device-select" @change=${(e: Event) => void this.chooseDevice(kind, (e.target as HTMLSelectElement).value)}>
            ${kind === 'speaker' ? html`<option value="">${this.t('defaultDevice')}</option>` : nothing}
            ${this.devices
              .filter((d) => d.kind === type && d.deviceId && d.deviceId !== 'default')
              .map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>${d.label || `${label} ${i + 1}`}</option>`)}
          </select></label
        >`,
      )}
    </details>`;
  }
}

OovooConference.define('oovoo-conference');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-conference': OovooConference;
  }
}
