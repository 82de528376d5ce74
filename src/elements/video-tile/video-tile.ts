import { ContextConsumer } from '@lit/context';
import { html, nothing, type PropertyValues, type PropertyDeclarations } from 'lit';
import { VideoStateType } from '../../sdk/enums.js';
import { OovooElement } from '../base/oovoo-element.js';
import { conferenceContext, type ConferenceParticipant } from '../context.js';
import { AudioLevelController } from './audio-level-controller.js';
import { MediaStreamController } from './media-stream-controller.js';
import { VideoHeightController } from './video-height-controller.js';
import styles from './video-tile.styles.js';

const DEFAULT_STRINGS = {
  you: 'You',
  micMuted: 'Microphone off',
  videoOff: 'Camera off',
  speaking: 'Speaking',
  waiting: 'Not in the call',
};
export type VideoTileStrings = typeof DEFAULT_STRINGS;

/**
 * One participant of the conference around it. Works anywhere inside an `<oovoo-conference>`
 * (in its light DOM too), so a page can lay tiles out by markup.
 *
 * @tagname oovoo-video-tile
 * @summary A participant's video, name, microphone state and speaking indicator.
 *
 * @attr participant - The participant's uid, or `local` for yourself.
 * @attr mirror - Shows the video mirrored, as a mirror does (usual for your own camera).
 * @attr fit - `cover` (default: fills the tile, may crop) or `contain` (all of the picture).
 * @attr muted - Reflected: the participant's microphone is off.
 * @attr camera-off - Reflected: the participant's video is paused or off.
 * @attr speaking - Reflected: the participant is speaking now (from the audio level).
 * @attr absent - Reflected: no such participant is in the call.
 *
 * @csspart base - The tile.
 * @csspart video - The video element.
 * @csspart placeholder - What shows instead of paused video.
 * @csspart avatar - The initial in the placeholder.
 * @csspart label - The name bar.
 * @csspart name - The participant's name.
 * @csspart mic - The microphone-off mark.
 *
 * @cssprop [--oovoo-tile-background=#1d1d1f] - Background behind the video.
 * @cssprop [--oovoo-tile-radius=8px] - Corner radius.
 * @cssprop [--oovoo-speaking-color=#2fbf71] - Outline color while speaking.
 * @cssprop [--oovoo-tile-aspect-ratio=16 / 9] - The tile's shape.
 */
export class OovooVideoTile extends OovooElement<VideoTileStrings> {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    participant: {},
    mirror: { type: Boolean, reflect: true },
    fit: { reflect: true },
    muted: { type: Boolean, reflect: true },
    cameraOff: { type: Boolean, reflect: true, attribute: 'camera-off' },
    speaking: { type: Boolean, reflect: true },
    absent: { type: Boolean, reflect: true },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS;

  participant = 'local';
  mirror = false;
  fit: 'cover' | 'contain' = 'cover';
  muted = false;
  cameraOff = false;
  speaking = false;
  absent = true;

  private readonly conference = new ContextConsumer(this, { context: conferenceContext, subscribe: true });

  constructor() {
    super();
    new MediaStreamController(
      this,
      () => this.renderRoot.querySelector?.('video'),
      () => ({ stream: this.current()?.stream, sinkId: this.conference.value?.sinkId ?? '' }),
    );
    new AudioLevelController(
      this,
      () => ({ stream: this.current()?.stream, context: this.conference.value?.audioContext }),
      (speaking) => (this.speaking = speaking),
    );
    // On the SFU the server forwards the simulcast layer that fills this tile.
    new VideoHeightController(this, () => {
      const p = this.current();
      const conference = this.conference.value?.conference;
      return p && !p.local && conference
        ? { uid: p.uid, report: (uid, height) => conference.setRemoteVideoHeight(uid, height) }
        : undefined;
    });
  }

  /** The participant this tile shows, if in the call. */
  current(): ConferenceParticipant | undefined {
    const people = this.conference.value?.participants ?? [];
    return this.participant === 'local' ? people.find((p) => p.local) : people.find((p) => p.uid === this.participant);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const p = this.current();
    this.absent = !p;
    this.muted = p?.muted ?? false;
    this.cameraOff = !p || p.video !== VideoStateType.PLAY;
  }

  protected override render() {
    const p = this.current();
    const name = p ? (p.local ? `${p.displayName} (${this.t('you')})` : p.displayName) : this.participant;
    const states = [
      this.muted && this.t('micMuted'),
      this.cameraOff && p && this.t('videoOff'),
      this.speaking && this.t('speaking'),
    ].filter(Boolean);
    return html`<div part="base" role="group" aria-label=${[name, ...states].join(', ')}>
      <video part="video" autoplay playsinline .muted=${p?.local ?? true} aria-hidden="true"></video>
      ${
        this.cameraOff
          ? html`<div part="placeholder">
              <span part="avatar" aria-hidden="true">${name.slice(0, 1).toUpperCase()}</span>
              <span>${p ? this.t('videoOff') : this.t('waiting')}</span>
            </div>`
          : nothing
      }
      <div part="label">
        <span part="name">${name}</span>
        ${this.muted ? html`<span part="mic" title=${this.t('micMuted')}>${this.t('micMuted')}</span>` : nothing}
      </div>
    </div>`;
  }
}

OovooVideoTile.define('oovoo-video-tile');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-video-tile': OovooVideoTile;
  }
}
