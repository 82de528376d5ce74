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
import { arrange, renderStage, type ConferenceLayout } from './stage.js';

/** What the conference's markup is made from: the element's state and what its controllers hold. */
export interface ConferenceView {
  readonly el: ControlsView & {
    readonly state: ConferenceState;
    readonly layout: ConferenceLayout;
    readonly pinned: string;
    readonly maxTiles: number;
    readonly strings: Partial<ConferenceStrings>;
    join(): Promise<void>;
  };
  readonly t: Translate;
  readonly people: ConferenceParticipant[];
  readonly speakers: readonly string[];
  readonly page: number;
  turnPage(page: number): void;
  readonly error: ErrorInfo | undefined;
  readonly extras: Extras | undefined;
  /** The device chooser. */
  readonly devices: unknown;
}

/** <oovoo-conference>'s shadow DOM: the stage (tiles, status, control bar), the panel, the side slot. */
export function renderConference(view: ConferenceView) {
  const { el, t, people, extras } = view;
  const inCall = el.state === 'joined' || el.state === 'reconnecting';
  const stage = arrange(people, {
    layout: el.layout,
    pinned: el.pinned,
    speakers: view.speakers,
    maxTiles: el.maxTiles,
    page: view.page,
  });
  return html`<div part="base">
    <div part="stage">
      <slot name="tiles">${renderStage(stage, t, el.strings, view.turnPage)}</slot>
      ${inCall ? html`<video part="pip-video" muted playsinline aria-hidden="true"></video>` : nothing}
      ${renderStatus(view.error, el.state, t)}
      <slot name="controls">
        <div part="controls" role="toolbar" aria-label=${t('controls')}>
          <slot name="controls-start"></slot>
          ${
            inCall
              ? renderCallControls(el, t, view.devices, extras)
              : renderJoin(el.state === 'joining', t('join'), () => void el.join())
          }
          <slot name="controls-end"></slot>
        </div>
      </slot>
    </div>
    ${
      inCall && el.participantsOpen
        ? extras?.renderParticipantPanel(people, new Set(view.speakers), t, () => el.toggleParticipants())
        : nothing
    }
    <div part="side"><slot></slot></div>
  </div>`;
}
