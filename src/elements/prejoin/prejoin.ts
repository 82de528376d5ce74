import { ContextConsumer } from '@lit/context';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { OovooElement } from '../base/oovoo-element.js';
import { clientContext } from '../context.js';
import { OovooPrejoinJoinEvent, type PrejoinChoices } from '../events/prejoin-join.js';
import { Mic, MicOff, Video, VideoOff, icon } from '../icons.js';
import { MicMeter } from './mic-meter.js';
import { deviceErrorKey, PrejoinMedia, type MediaKind } from './prejoin-media.js';
import { DEFAULT_STRINGS, type PrejoinStrings } from './prejoin-strings.js';
import styles from './prejoin.styles.js';
import { canChooseSpeaker, playTestSound } from './speaker-test.js';

export type { PrejoinChoices } from '../events/prejoin-join.js';
export type { PrejoinStrings } from './prejoin-strings.js';

type OnOff = 'on' | 'off';

/**
 * Before a call: your camera's preview, a live microphone meter, the camera, microphone and speaker
 * to use (with a test sound), your name, and camera and microphone switches. A camera or
 * microphone switched off is not opened at all. Join closes them and fires `oovoo-prejoin-join` with
 * the choices; `<oovoo-conference prejoin>` shows one and joins with them, and a page that lays
 * out its own gives them to the conference's `join(choices)`. A device that cannot be opened is
 * explained in words, with what to do.
 *
 * @tagname oovoo-prejoin
 * @summary The pre-join screen: preview, microphone meter, device choice, name, camera and microphone switches, Join.
 *
 * @attr display-name - Your name as the others will see it (the name field starts with it; by default `<oovoo-login>`'s).
 * @attr audio - Reflected: `off` while the microphone is switched off (it is not opened), `on` (default) while it is on. Settable.
 * @attr video - Reflected: `off` while the camera is switched off (it is not opened), `on` (default) while it is on. Settable.
 * @attr camera-id - Reflected: the chosen camera's `deviceId` ('' for the browser's choice). Settable.
 * @attr microphone-id - Reflected: the chosen microphone's `deviceId`. Settable.
 * @attr speaker-id - Reflected: the chosen speaker's (audio output) `deviceId` ('' for the default). Settable.
 *
 * @fires {OovooPrejoinJoinEvent} oovoo-prejoin-join - Join was pressed; the camera and microphone are closed. Detail: `{ displayName, audio, video, cameraId, microphoneId, speakerId }` (what `<oovoo-conference>`'s `join()` takes).
 *
 * @csspart base - The wrapper of everything.
 * @csspart preview - The camera's preview video (mirrored).
 * @csspart placeholder - What shows instead of the preview while the camera is off.
 * @csspart form - The name, switches, device lists and Join.
 * @csspart name-input - The display name field.
 * @csspart camera-switch - Switches the camera on or off.
 * @csspart mic-switch - Switches the microphone on or off.
 * @csspart meter - The microphone's live level.
 * @csspart camera-select - The camera list.
 * @csspart microphone-select - The microphone list.
 * @csspart speaker-select - The speaker list (where the browser can choose one).
 * @csspart test-sound - Plays a short test sound on the chosen speaker.
 * @csspart error - A device that could not be opened: what happened and what to do.
 * @csspart retry - Tries to open that device again.
 * @csspart join-button - The Join button.
 *
 * @cssprop [--oovoo-surface=#ffffff] - The background of the form (inside `<oovoo-conference>`, its theme's).
 * @cssprop [--oovoo-tile-background=#3c4043] - Behind the preview.
 * @cssprop [--oovoo-color-accent=#2563eb] - The Join button, switches that are on, the meter.
 * @cssprop [--oovoo-color-danger=#e5484d] - Switches that are off and device errors.
 * @cssprop [--oovoo-radius=12px] - Corner radius of the preview and the form.
 */
export class OovooPrejoin extends OovooElement<PrejoinStrings> {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    displayName: { attribute: 'display-name' },
    audio: { reflect: true },
    video: { reflect: true },
    cameraId: { attribute: 'camera-id', reflect: true },
    microphoneId: { attribute: 'microphone-id', reflect: true },
    speakerId: { attribute: 'speaker-id', reflect: true },
    testing: { state: true, attribute: false },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS;

  displayName = '';
  audio: OnOff = 'on';
  video: OnOff = 'on';
  cameraId = '';
  microphoneId = '';
  speakerId = '';
  /** The test sound plays. */
  declare private testing: boolean;

  private readonly media = new PrejoinMedia(this);
  private readonly meter = new MicMeter();
  /** The name typed, once the person typed one (until then the attribute's or the login's). */
  private typedName: string | undefined;
  /** Open both devices at the next update (first render, or added back to the page). */
  private reopen = true;
  private readonly client = new ContextConsumer(this, { context: clientContext, subscribe: true });

  override connectedCallback(): void {
    super.connectedCallback();
    this.reopen = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // The media controller closes the camera and microphone (the light goes off).
    this.meter.stop();
  }

  // Before rendering: what is switched off is closed at once, and the render shows it closed.
  protected override willUpdate(changed: PropertyValues<this>): void {
    const all = this.reopen;
    this.reopen = false;
    if (all || changed.has('video') || changed.has('cameraId'))
      void this.media.set('video', this.video !== 'off', this.cameraId);
    if (all || changed.has('audio') || changed.has('microphoneId'))
      void this.media.set('audio', this.audio !== 'off', this.microphoneId);
  }

  protected override updated(): void {
    this.meter.follow(this.media.streams.audio, () => this.renderRoot.querySelector('meter'));
  }

  /** What Join would join with now. */
  get choices(): PrejoinChoices {
    return {
      displayName: this.name().trim(),
      audio: this.audio !== 'off',
      video: this.video !== 'off',
      cameraId: this.media.current('video', this.cameraId),
      microphoneId: this.media.current('audio', this.microphoneId),
      speakerId: this.speakerId,
    };
  }

  /** Closes the camera and microphone and fires `oovoo-prejoin-join` with the choices. */
  join(): void {
    const choices = this.choices;
    this.media.closeAll();
    this.meter.stop();
    this.requestUpdate();
    this.emit(new OovooPrejoinJoinEvent(choices));
  }

  /** Plays a short test sound on the chosen speaker (a speaker the browser cannot use plays nothing). */
  async testSpeaker(): Promise<void> {
    this.testing = true;
    try {
      await playTestSound(this.speakerId);
    } catch {
      // A speaker gone, or audio the page may not play yet: nothing to hear, nothing to break.
    } finally {
      this.testing = false;
    }
  }

  private name(): string {
    return this.typedName ?? (this.displayName || this.client.value?.displayName || '');
  }

  private renderSwitch(kind: MediaKind, on: boolean) {
    const video = kind === 'video';
    return html`<button
      part=${video ? 'camera-switch' : 'mic-switch'}
      type="button"
      role="switch"
      aria-checked=${String(on)}
      @click=${() => (video ? (this.video = on ? 'off' : 'on') : (this.audio = on ? 'off' : 'on'))}
    >
      ${icon(video ? (on ? Video : VideoOff) : on ? Mic : MicOff)} ${this.t(video ? 'camera' : 'microphone')}
    </button>`;
  }

  /** One device list; nothing when the browser lists no device of that kind. */
  private renderSelect(
    kind: MediaDeviceKind,
    part: string,
    label: string,
    selected: string,
    choose: (id: string) => void,
  ) {
    const devices = this.media.devices.filter((d) => d.kind === kind && d.deviceId !== 'default');
    if (devices.length === 0) return nothing;
    return html`<label
      >${label}
      <select part=${part} @change=${(e: Event) => choose((e.target as HTMLSelectElement).value)}>
        ${kind === 'audiooutput' ? html`<option value="">${this.t('defaultDevice')}</option>` : nothing}
        ${devices.map(
          (d, i) =>
            html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>
              ${d.label || `${label} ${i + 1}`}
            </option>`,
        )}
      </select></label
    >`;
  }

  private renderError(kind: MediaKind) {
    const name = this.media.errors[kind];
    if (!name) return nothing;
    const video = kind === 'video';
    return html`<p part="error" role="alert">
      <strong>${this.t(video ? 'camera' : 'microphone')}:</strong> ${this.t(deviceErrorKey(name))}
      <button
        part="retry"
        type="button"
        @click=${() => void this.media.set(kind, true, video ? this.cameraId : this.microphoneId)}
      >
        ${this.t('tryAgain')}
      </button>
    </p>`;
  }

  protected override render() {
    const { media } = this;
    const camera = media.streams.video;
    const videoOn = this.video !== 'off';
    const audioOn = this.audio !== 'off';
    return html`<div part="base" @pointerdown=${() => this.meter.resume()}>
      <div class="preview">
        ${
          camera
            ? html`<video part="preview" autoplay playsinline muted aria-hidden="true" .srcObject=${camera}></video>`
            : html`<div part="placeholder">${videoOn ? nothing : this.t('videoOff')}</div>`
        }
        <meter part="meter" min="0" max="1" value="0" aria-label=${this.t('micLevel')} ?hidden=${!audioOn}></meter>
      </div>
      <form part="form" @submit=${(e: Event) => (e.preventDefault(), this.join())}>
        <!-- The fields scroll on a short phone screen; Join stays below them, in reach. -->
        <div class="fields">
          <label
            >${this.t('displayNameLabel')}
            <input
              part="name-input"
              name="displayName"
              autocomplete="nickname"
              .value=${this.name()}
              @input=${(e: Event) => (this.typedName = (e.target as HTMLInputElement).value)}
          /></label>
          <div class="switches">${this.renderSwitch('video', videoOn)} ${this.renderSwitch('audio', audioOn)}</div>
          ${this.renderError('video')} ${this.renderError('audio')}
          ${this.renderSelect('videoinput', 'camera-select', this.t('camera'), media.current('video', this.cameraId), (id) => (this.cameraId = id))}
          ${this.renderSelect('audioinput', 'microphone-select', this.t('microphone'), media.current('audio', this.microphoneId), (id) => (this.microphoneId = id))}
          <div class="speaker">
            ${
              canChooseSpeaker()
                ? this.renderSelect(
                    'audiooutput',
                    'speaker-select',
                    this.t('speaker'),
                    this.speakerId,
                    (id) => (this.speakerId = id),
                  )
                : nothing
            }
            <button part="test-sound" type="button" ?disabled=${this.testing} @click=${() => void this.testSpeaker()}>
              ${this.t('testSpeaker')}
            </button>
          </div>
        </div>
        <button part="join-button" type="submit">${this.t('join')}</button>
      </form>
    </div>`;
  }
}

OovooPrejoin.define('oovoo-prejoin');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-prejoin': OovooPrejoin;
  }
}
