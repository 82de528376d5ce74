import { html } from 'lit';
import type { Reaction } from '../../protocol/index.js';
import type { Translate } from './conference-controls.js';
import { REACTION_EMOJI } from './reactions.js';

/** The reactions to choose from, above the reactions button. */
export function renderReactionPicker(send: (reaction: Reaction) => void, t: Translate) {
  return html`<div part="reaction-picker" role="group" aria-label=${t('reactions')}>
    ${(Object.keys(REACTION_EMOJI) as Reaction[]).map(
      (r) =>
        html`<button part="reaction-choice" type="button" data-reaction=${r} @click=${() => send(r)}>
          <span aria-hidden="true">${REACTION_EMOJI[r]}</span><span class="tip">${t(r)}</span>
        </button>`,
    )}
  </div>`;
}
