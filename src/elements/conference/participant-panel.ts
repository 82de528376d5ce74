import { html } from 'lit';
import { VideoStateType } from '../../sdk/enums.js';
import type { ConferenceParticipant } from '../context.js';
import { Hand, MicOff, VideoOff, X, icon } from '../icons.js';
import type { HostUi } from './host-ui.js';
import { renderHostActions, renderHostBadge, renderRoomControls } from './host-view.js';

/** The strings the panel shows. */
export interface ParticipantPanelStrings {
  participants: string;
  closePanel: string;
  you: string;
  micMuted: string;
  videoOff: string;
  speaking: string;
  handRaised: string;
}

/** Raised hands first, then you, then the others by name. */
export function panelOrder(people: readonly ConferenceParticipant[]): ConferenceParticipant[] {
  const rank = (p: ConferenceParticipant) => (p.hand ? 0 : p.local ? 1 : 2);
  return [...people].sort((a, b) => rank(a) - rank(b) || a.displayName.localeCompare(b.displayName));
}

/**
 * The participant panel: who is in the call, with mic, camera, speaking and hand states; in a call with
 * hosts (`host`: the host UI) their badges and, for a host, the lock and lobby and each participant's actions.
 */
export function renderParticipantPanel(
  people: readonly ConferenceParticipant[],
  speaking: ReadonlySet<string>,
  t: (key: keyof ParticipantPanelStrings) => string,
  close: () => void,
  host?: HostUi,
) {
  return html`<aside part="panel" aria-labelledby="panel-title">
    <header part="panel-header">
      <h2 id="panel-title">${t('participants')} (${people.length})</h2>
      <button part="panel-close" type="button" class="icon-button" @click=${close}>
        ${icon(X)}<span class="tip">${t('closePanel')}</span>
      </button>
    </header>
    ${renderRoomControls(host)}
    <ul part="participant-list">
      ${panelOrder(people).map((p) => {
        const states = [
          p.hand && t('handRaised'),
          speaking.has(p.uid) && t('speaking'),
          p.muted && t('micMuted'),
          p.video !== VideoStateType.PLAY && t('videoOff'),
        ].filter((s): s is string => Boolean(s));
        return html`<li part="participant" data-uid=${p.uid} ?data-speaking=${speaking.has(p.uid)}>
          <span part="participant-name">${p.displayName}${p.local ? ` (${t('you')})` : ''}</span>
          ${renderHostBadge(host, p.uid)}
          ${
            states.length
              ? html`<span part="participant-states" role="img" aria-label=${states.join(', ')}>
                  ${p.hand ? html`<span class="hand">${icon(Hand)}</span>` : ''} ${p.muted ? icon(MicOff) : ''}
                  ${p.video !== VideoStateType.PLAY ? icon(VideoOff) : ''}
                </span>`
              : ''
          }
          ${renderHostActions(host, p)}
        </li>`;
      })}
    </ul>
  </aside>`;
}
