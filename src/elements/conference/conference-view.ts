import { html, nothing } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { ConferenceParticipant, ConferenceState } from '../context.js';
import type { Extras } from '../extras/load-extras.js';
import {
  renderCallControls,
  renderJoin,
  renderStatus,
  type ControlsView,
  type Translate,
} from './conference-controls.js';
import type { ConferenceStrings } from './conference-strings.js';
import type { OovooPrejoinJoinEvent, PrejoinChoices } from '../events/prejoin-join.js';
import type { HostUi } from './host-ui.js';
import { arrange, renderStage, type ConferenceLayout } from './stage.js';

/** What the conference's markup is made from: the element's state and what its controllers hold. */
export interface ConferenceView {
  readonly el: ControlsView & {
    readonly state: ConferenceState;
    readonly layout: ConferenceLayout;
    readonly pinned: string;
    readonly maxTiles: number;
    readonly strings: Partial<ConferenceStrings>;
    readonly prejoin: boolean;
    readonly displayName: string;
    join(choices?: PrejoinChoices): Promise<void>;
  };
  readonly t: Translate;
  readonly people: ConferenceParticipant[];
  readonly speakers: readonly string[];
  readonly page: number;
  turnPage(page: number): void;
  readonly error: ErrorInfo | undefined;
  /** A camera or microphone that could not be opened, in words (the call goes on). */
  readonly notice: string | undefined;
  readonly extras: Extras | undefined;
  /** Hosts and the lobby, once the call turned out not to be a plain one. */
  readonly host: HostUi | undefined;
  /** The device chooser. */
  readonly devices: unknown;
}

/** <oovoo-conference>'s shadow DOM: the stage (tiles, status, control bar), the panel, the side slot. */
export function renderConference(view: ConferenceView) {
  const { el, t, people, extras } = view;
  const inCall = el.state === 'joined' || el.state === 'reconnecting';
  const prejoin =
    el.prejoin && /^(idle|left|error)$/.test(el.state) && customElements.get('oovoo-prejoin') !== undefined;
  const stage = arrange(people, {
    layout: el.layout,
    pinned: el.pinned,
    speakers: view.speakers,
    maxTiles: el.maxTiles,
    page: view.page,
  });
  return html`<div part="base">
    <div part="stage">
      ${
        // The pre-join (once loaded) stands in for the tiles and the Join button until the call starts.
        prejoin
          ? html`<oovoo-prejoin
              part="prejoin"
              display-name=${el.displayName}
              audio=${el.muted ? 'off' : 'on'}
              video=${el.cameraOff ? 'off' : 'on'}
              @oovoo-prejoin-join=${(e: OovooPrejoinJoinEvent) => void el.join(e.detail)}
            ></oovoo-prejoin>`
          : html`<slot name="tiles">${renderStage(stage, t, el.strings, view.turnPage)}</slot>`
      }
      ${inCall ? html`<video part="pip-video" muted playsinline aria-hidden="true"></video>` : nothing}
      ${renderStatus(view.error, el.state, t, view.notice)} ${view.host?.render()}
      <slot name="controls">
        <div part="controls" role="toolbar" aria-label=${t('controls')}>
          <slot name="controls-start"></slot>
          ${
            inCall
              ? renderCallControls(el, t, view.devices, extras)
              : el.state === 'waiting' || prejoin
                ? nothing
                : renderJoin(el.state === 'joining', t('join'), () => void el.join())
          }
          <slot name="controls-end"></slot>
        </div>
      </slot>
    </div>
    ${
      inCall && el.participantsOpen
        ? extras?.renderParticipantPanel(people, new Set(view.speakers), t, () => el.toggleParticipants(), view.host)
        : nothing
    }
    <div part="side"><slot></slot></div>
  </div>`;
}
