import { html, nothing, type TemplateResult } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { Reaction } from '../../protocol/index.js';
import type { ConferenceState } from '../context.js';
import {
  Hand,
  Mic,
  MicOff,
  PhoneOff,
  PictureInPicture2,
  ScreenShare,
  SmilePlus,
  Users,
  Video,
  VideoOff,
  icon,
} from '../icons.js';
import { canPictureInPicture } from './pip-source.js';
import type { ConferenceStrings } from './conference-strings.js';
import type { Extras } from '../extras/load-extras.js';

/** What the control bar shows and does: the conference element, seen through what the bar needs. */
export interface ControlsView {
  readonly muted: boolean;
  readonly cameraOff: boolean;
  readonly handRaised: boolean;
  readonly pictureInPicture: boolean;
  togglePictureInPicture(): void;
  /** This participant shares a screen now. */
  readonly sharing: boolean;
  readonly participantsOpen: boolean;
  readonly reactionsOpen: boolean;
  setMicMuted(muted: boolean): void;
  setCameraOn(on: boolean): void;
  raiseHand(raised: boolean): void;
  shareScreen(on: boolean): void;
  sendReaction(reaction: Reaction): void;
  toggleReactions(): void;
  toggleParticipants(): void;
  requestLeave(): void;
}

/**
 * One icon button. Its label is the accessible name and, shown on hover and focus, its tooltip; it
 * says what pressing does ("Unmute" while muted), and `pressed` tells the state of a toggle.
 */
export function iconButton(
  part: string,
  glyph: TemplateResult,
  label: string,
  onClick: () => void,
  pressed?: boolean,
  extra: Record<string, string> = {},
) {
  return html`<button
    part="control ${part}"
    type="button"
    class="icon-button"
    aria-pressed=${pressed === undefined ? nothing : String(pressed)}
    aria-expanded=${extra['expanded'] ?? nothing}
    @click=${onClick}
  >
    ${glyph}<span class="tip">${label}</span>
  </button>`;
}

export type Translate = (key: keyof ConferenceStrings & string) => string;

/** The built-in controls of a running call, in bar order; `devices` is the device chooser. */
export function renderCallControls(view: ControlsView, t: Translate, devices: unknown, extras: Extras | undefined) {
  return html`${iconButton(
      'mic-button',
      icon(view.muted ? MicOff : Mic),
      t(view.muted ? 'unmute' : 'mute'),
      () => view.setMicMuted(!view.muted),
      view.muted,
    )}
    ${iconButton(
      'camera-button',
      icon(view.cameraOff ? VideoOff : Video),
      t(view.cameraOff ? 'startVideo' : 'stopVideo'),
      () => view.setCameraOn(view.cameraOff),
      view.cameraOff,
    )}
    ${
      // Hidden where screens cannot be captured (phones).
      typeof navigator.mediaDevices?.getDisplayMedia === 'function'
        ? iconButton(
            'share-button',
            icon(ScreenShare),
            t(view.sharing ? 'stopSharing' : 'shareScreen'),
            () => view.shareScreen(!view.sharing),
            view.sharing,
          )
        : nothing
    }
    ${iconButton(
      'hand-button',
      icon(Hand),
      t(view.handRaised ? 'lowerHand' : 'raiseHand'),
      () => view.raiseHand(!view.handRaised),
      view.handRaised,
    )}
    <span class="menu-anchor">
      ${iconButton('reactions-button', icon(SmilePlus), t('reactions'), () => view.toggleReactions(), undefined, {
        expanded: String(view.reactionsOpen),
      })}
      ${view.reactionsOpen ? extras?.renderReactionPicker((r) => view.sendReaction(r), t) : nothing}
    </span>
    ${
      canPictureInPicture()
        ? iconButton(
            'pip-button',
            icon(PictureInPicture2),
            t('pictureInPicture'),
            () => view.togglePictureInPicture(),
            view.pictureInPicture,
          )
        : nothing
    }
    ${iconButton(
      'participants-button',
      icon(Users),
      t('participants'),
      () => view.toggleParticipants(),
      view.participantsOpen,
    )}
    ${devices} ${iconButton('leave-button', icon(PhoneOff), t('leave'), () => view.requestLeave())}`;
}

/** The join button, shown while not in the call. */
export function renderJoin(joining: boolean, label: string, join: () => void) {
  return html`<button part="control join-button" type="button" ?disabled=${joining} @click=${join}>${label}</button>`;
}

/** The error of the last failure, or else the state while it is worth telling (joining, reconnecting, left). */
export function renderStatus(error: ErrorInfo | undefined, state: ConferenceState, t: Translate, notice = '') {
  if (error) return html`<p part="error" role="alert">${error.description} (${error.code})</p>`;
  const text = state === 'joining' || state === 'reconnecting' || state === 'left' ? t(state) : notice;
  return html`<p part="status" role="status">${text}</p>`;
}
