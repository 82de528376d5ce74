import { ContextConsumer } from '@lit/context';
import { html, nothing, type PropertyValues, type PropertyDeclarations } from 'lit';
import { REACTION_EMOJI } from '../conference/reactions.js';
import { Hand, MicOff, Pin, icon } from '../icons.js';
import type { NetworkQuality } from '../../sdk/conference/index.js';
import { VideoStateType } from '../../sdk/enums.js';
import { OovooElement } from '../base/oovoo-element.js';
import { conferenceContext, type ConferenceParticipant } from '../context.js';
import { MediaStreamController } from './media-stream-controller.js';
import { VideoHeightController } from './video-height-controller.js';
import styles from './video-tile.styles.js';
import { DEFAULT_STRINGS, type VideoTileStrings } from './video-tile-strings.js';

export type { VideoTileStrings } from './video-tile-strings.js';

/**
 * One participant of the conference around it. Works anywhere inside an `<oovoo-conference>`
 * (in its light DOM too), so a page can lay tiles out by markup.
 *
 * @tagname oovoo-video-tile
 * @summary A participant's video, name, microphone state and speaking indicator.
 *
 * @attr participant - The participant's uid, or `local` for yourself.
 * @attr mirror - Shows the video mirrored, as a mirror does (usual for your own camera).
 * @attr source - `camera` (default) or `screen`: the participant's shared screen (absent while not sharing).
 * @attr fit - `cover` (default: fills the tile, may crop) or `contain` (all of the picture).
 * @attr muted - Reflected: the participant's microphone is off.
 * @attr camera-off - Reflected: the participant's video is paused or off.
 * @attr speaking - Reflected: the participant is speaking now (the SDK's active speakers).
 * @attr quality - Reflected: the participant's network quality, `excellent`, `good`, `poor` or `lost` (yours: your uplink).
 * @attr absent - Reflected: no such participant is in the call.
 * @attr hand - Reflected: the participant's hand is raised.
 * @attr pinned - Reflected: the conference has this participant pinned.
 *
 * @csspart base - The tile.
 * @csspart video - The video element.
 * @csspart placeholder - What shows instead of paused video.
 * @csspart avatar - The initials on a coloured disc in the placeholder.
 * @csspart label - The name bar.
 * @csspart name - The participant's name.
 * @csspart mic - The microphone-off mark.
 * @csspart hand - The raised-hand mark.
 * @csspart reaction - A reaction while it shows (it rises and fades).
 * @csspart quality - The network-quality bars (with a text alternative); a poor uplink also says so on your own tile.
 * @csspart pin-button - Pins or unpins the participant (in a conference's own tiles).
 * @csspart icon - Every icon.
 *
 * @cssprop [--oovoo-tile-background=#1c1f26] - Background behind the video.
 * @cssprop [--oovoo-tile-radius=12px] - Corner radius.
 * @cssprop [--oovoo-speaking-color=#3ecf8e] - The ring while speaking.
 * @cssprop [--oovoo-tile-label-background=rgb(0 0 0 / 0.55)] - Behind the name and the marks.
 * @cssprop [--oovoo-tile-aspect-ratio=16 / 9] - The tile's shape.
 */
export class OovooVideoTile extends OovooElement<VideoTileStrings> {
  static override styles = [OovooElement.styles, styles];
  static override properties: PropertyDeclarations = {
    participant: {},
    source: { reflect: true },
    mirror: { type: Boolean, reflect: true },
    fit: { reflect: true },
    muted: { type: Boolean, reflect: true },
    cameraOff: { type: Boolean, reflect: true, attribute: 'camera-off' },
    speaking: { type: Boolean, reflect: true },
    absent: { type: Boolean, reflect: true },
    hand: { type: Boolean, reflect: true },
    pinned: { type: Boolean, reflect: true },
    quality: { reflect: true },
  };
  protected readonly defaultStrings = DEFAULT_STRINGS;

  participant = 'local';
  source: 'camera' | 'screen' = 'camera';
  mirror = false;
  fit: 'cover' | 'contain' = 'cover';
  muted = false;
  cameraOff = false;
  speaking = false;
  absent = true;
  hand = false;
  pinned = false;
  quality: NetworkQuality | undefined;

  private readonly conference = new ContextConsumer(this, { context: conferenceContext, subscribe: true });

  constructor() {
    super();
    new MediaStreamController(
      this,
      () => this.renderRoot.querySelector?.('video'),
      () => ({ stream: this.stream(), sinkId: this.conference.value?.sinkId ?? '' }),
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

  /** The participant this tile shows, if in the call (and sharing, for a screen tile). */
  current(): ConferenceParticipant | undefined {
    const people = this.conference.value?.participants ?? [];
    const p =
      this.participant === 'local' ? people.find((p) => p.local) : people.find((p) => p.uid === this.participant);
    return this.isScreen && !p?.screen ? undefined : p;
  }

  private get isScreen(): boolean {
    return this.source === 'screen';
  }

  private stream(): MediaStream | undefined {
    const p = this.current();
    return this.isScreen ? p?.screen : p?.stream;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const p = this.current();
    this.absent = !p;
    // A screen has no microphone or hand of its own: those marks stay on the camera tile.
    const camera = this.isScreen ? undefined : p;
    this.muted = camera?.muted ?? false;
    this.cameraOff = !p || (!this.isScreen && p.video !== VideoStateType.PLAY);
    this.hand = camera?.hand ?? false;
    this.speaking = camera?.speaking ?? false;
    this.quality = camera?.quality;
    this.pinned = p !== undefined && this.conference.value?.pinned === p.uid;
  }

  private renderQuality(own: boolean) {
    const q = this.quality!;
    // Your own poor uplink is worth words, not just bars: the others are the ones who suffer it.
    const warn = own && (q === 'poor' || q === 'lost');
    return html`<span part="quality" role="img" aria-label=${this.t(warn ? 'poorUplink' : q)} title=${this.t(q)}>
      ${[1, 2, 3].map((n) => html`<i class=${n <= BARS[q] ? 'on' : ''}></i>`)}
      ${warn ? html`<span class="warn">${this.t('poor')}</span>` : nothing}
    </span>`;
  }

  protected override render() {
    const p = this.current();
    const who = p ? (p.local ? `${p.displayName} (${this.t('you')})` : p.displayName) : this.participant;
    const name = this.isScreen ? `${who}: ${this.t('screen')}` : who;
    const states = [
      this.muted && this.t('micMuted'),
      this.cameraOff && p && this.t('videoOff'),
      this.speaking && this.t('speaking'),
      this.hand && this.t('handRaised'),
    ].filter(Boolean);
    const pin = this.isScreen ? undefined : this.conference.value?.pin;
    const reaction = this.isScreen ? undefined : p?.reaction;
    return html`<div part="base" role="group" aria-label=${[name, ...states].join(', ')}>
      <video part="video" autoplay playsinline .muted=${p?.local !== false || this.isScreen} aria-hidden="true"></video>
      ${
        this.cameraOff
          ? html`<div part="placeholder">
              <span part="avatar" aria-hidden="true" style=${`--_hue:${hue(p?.uid ?? this.participant)}`}
                >${initials(p?.displayName ?? this.participant)}</span
              >
              <span class="placeholder-text">${p ? this.t('videoOff') : this.t('waiting')}</span>
            </div>`
          : nothing
      }
      ${this.hand ? html`<span part="hand" title=${this.t('handRaised')}>${icon(Hand)}</span>` : nothing}
      ${
        reaction
          ? html`<span part="reaction" role="img" aria-label=${this.t(reaction.reaction)} data-id=${reaction.id}
              >${REACTION_EMOJI[reaction.reaction]}</span
            >`
          : nothing
      }
      ${
        pin && p
          ? html`<button
              part="pin-button"
              type="button"
              aria-pressed=${this.pinned}
              @click=${() => pin(this.pinned ? '' : p.uid)}
            >
              ${icon(Pin)}<span class="tip">${this.t(this.pinned ? 'unpin' : 'pin')}</span>
            </button>`
          : nothing
      }
      ${this.quality ? this.renderQuality(p?.local === true) : nothing}
      <div part="label">
        ${this.muted ? html`<span part="mic">${icon(MicOff)}<span class="sr">${this.t('micMuted')}</span></span>` : nothing}
        <span part="name">${name}</span>
      </div>
    </div>`;
  }
}

/** How many of the three bars each quality fills. */
const BARS: Readonly<Record<NetworkQuality, number>> = { excellent: 3, good: 2, poor: 1, lost: 0 };

/** Up to two initials of a name, for the disc shown while the camera is off. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/** A steady hue per participant, so each disc keeps its colour. */
function hue(uid: string): number {
  let h = 0;
  for (const ch of uid) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

OovooVideoTile.define('oovoo-video-tile');

declare global {
  interface HTMLElementTagNameMap {
    'oovoo-video-tile': OovooVideoTile;
  }
}
