import { html, nothing } from 'lit';
import { UserRoundX } from 'lucide';
import type { HostController, LobbyKnock } from '../../sdk/conference/index.js';
import { VideoStateType } from '../../sdk/enums.js';
import type { ConferenceParticipant } from '../context.js';
import { MicOff, VideoOff, X, icon } from '../icons.js';
import type { HostUi } from './host-ui.js';
import { decodeUserData } from './user-data.js';

// The host UI's markup: on the stage (waiting screen, notice, knocks, ending) and in the participant
// panel (the lock and lobby switches, a host's actions on each participant, the host badge).

/** What the stage shows of hosts and the lobby for this page now. */
export function renderHostStage(ui: HostUi) {
  const { el, notice, ending } = ui;
  const hc = ui.controller;
  return html`${el.state === 'waiting' ? renderLobby(ui) : nothing}
  ${ending && el.state === 'error' ? html`<p part="error" role="alert">${ending}</p>` : nothing}
  ${
    notice && hc
      ? html`<div part="notice">
          <span role="alert">${ui.say(notice)}</span>
          <button part="notice-close" type="button" class="icon-button" @click=${() => ui.dismiss()}>
            ${icon(X)}<span class="tip">${ui.say('dismiss')}</span>
          </button>
        </div>`
      : nothing
  }
  ${hc?.role === 'host' && hc.waiting.length > 0 ? renderKnocks(ui, hc.waiting) : nothing}`;
}

/** The waiting screen of a join the lobby holds: why, whether a host is there, and a way out. */
function renderLobby(ui: HostUi) {
  return html`<div part="lobby">
    <p part="lobby-message" role="status">
      ${ui.say('lobbyWaiting')}
      ${ui.hostPresent ? nothing : html`<span part="lobby-no-host">${ui.say('lobbyNoHost')}</span>`}
    </p>
    <button part="lobby-leave-button" type="button" @click=${() => ui.el.requestLeave()}>${ui.say('leave')}</button>
  </div>`;
}

/** Hosts: who waits in the lobby, each with Admit and Deny (one knock reads as a sentence, more as a list). */
function renderKnocks(ui: HostUi, waiting: readonly LobbyKnock[]) {
  const names = waiting.map((k) => decodeUserData(k.user_data, k.uid).displayName);
  const one = waiting.length === 1;
  return html`<section part="knocks" aria-labelledby="knocks-title">
    <p id="knocks-title" part="knocks-title" role="status">
      ${one ? ui.say('knockOne', { name: names[0]! }) : ui.say('knocksTitle', { count: waiting.length })}
    </p>
    <ul part="knock-list">
      ${waiting.map(
        ({ uid }, i) =>
          html`<li part="knock" data-uid=${uid}>
            ${one ? nothing : html`<span part="knock-name">${names[i]}</span>`}
            <button part="admit-button" type="button" @click=${() => ui.run((hc) => hc.admit(uid))}>
              ${ui.say('admit')}
            </button>
            <button part="deny-button" type="button" @click=${() => ui.run((hc) => hc.deny(uid))}>
              ${ui.say('deny')}
            </button>
          </li>`,
      )}
    </ul>
  </section>`;
}

/** Hosts, in the panel: the switches of the call's lock and lobby. */
export function renderRoomControls(ui: HostUi | undefined) {
  const hc = ui?.controller;
  if (!ui || hc?.role !== 'host') return nothing;
  const toggle = (part: string, label: string, on: boolean, set: (hc: HostController) => Promise<unknown>) =>
    html`<button part="host-switch ${part}" type="button" aria-pressed=${String(on)} @click=${() => ui.run(set)}>
      ${label}
    </button>`;
  return html`<div part="host-controls" role="group" aria-label=${ui.say('hostControls')}>
    ${toggle('lock-button', ui.say('lockCall'), hc.locked, (h) => h.lockRoom(!h.locked))}
    ${toggle('lobby-button', ui.say('useLobby'), hc.lobbyEnabled, (h) => h.setLobby(!h.lobbyEnabled))}
  </div>`;
}

/** The host badge beside a host's name in the panel. */
export function renderHostBadge(ui: HostUi | undefined, uid: string) {
  return ui?.isHost(uid) ? html`<span part="host-badge">${ui.say('host')}</span>` : nothing;
}

/** Hosts, in the panel: mute, stop the video of, and remove (after a confirmation) another participant. */
export function renderHostActions(ui: HostUi | undefined, p: ConferenceParticipant) {
  if (!ui || p.local || ui.controller?.role !== 'host') return nothing;
  const name = p.displayName;
  if (ui.confirming === p.uid)
    return html`<span part="remove-confirm" role="group" aria-label=${ui.say('removeName', { name })}>
      <span>${ui.say('removeConfirm', { name })}</span>
      <button
        part="remove-button"
        type="button"
        @click=${() => {
          ui.confirmRemoval(undefined);
          ui.run((hc) => hc.removeParticipant(p.uid));
        }}
      >
        ${ui.say('remove')}
      </button>
      <button part="cancel-button" type="button" @click=${() => ui.confirmRemoval(undefined)}>
        ${ui.say('cancel')}
      </button>
    </span>`;
  return html`<span part="host-actions">
    ${action('mute-participant', MicOff, ui.say('muteName', { name }), p.muted, () =>
      ui.run((hc) => hc.muteParticipant(p.uid)),
    )}
    ${action(
      'stop-participant-video',
      VideoOff,
      ui.say('stopVideoName', { name }),
      p.video !== VideoStateType.PLAY,
      () => ui.run((hc) => hc.stopParticipantVideo(p.uid)),
    )}
    ${action('remove-participant', UserRoundX, ui.say('removeName', { name }), false, () => ui.confirmRemoval(p.uid))}
  </span>`;
}

/** One of a host's icon buttons on a participant; `done` disables it (already muted, video already off). */
function action(part: string, glyph: Parameters<typeof icon>[0], label: string, done: boolean, onClick: () => void) {
  return html`<button part="host-action ${part}" type="button" class="icon-button" ?disabled=${done} @click=${onClick}>
    ${icon(glyph)}<span class="tip">${label}</span>
  </button>`;
}
