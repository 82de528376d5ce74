import { html, nothing } from 'lit';
import type { ConferenceParticipant } from '../context.js';
import { ChevronLeft, ChevronRight, icon } from '../icons.js';
import { iconButton } from './conference-controls.js';
import type { ConferenceStrings } from './conference-strings.js';

/** How the call's tiles are laid out. */
export type ConferenceLayout = 'grid' | 'speaker' | 'spotlight';

/**
 * A screen that may be a phone's (at most 640 px wide or 500 px tall): the stage's phone layout (the speaker
 * layout whatever `layout` says) comes with the extras (phone.styles.ts, whose media query decides), so it
 * loads them at once. Cheaper in the SDK script than that query; a short desktop window only loads them early.
 */
export const onPhone = () => innerWidth < 641 || innerHeight < 501;

/** Where each participant goes: one large tile (speaker, spotlight) and the rest, one page of them. */
export interface Stage {
  readonly main: ConferenceParticipant | undefined;
  /** The large tile shows the main participant's shared screen. */
  readonly screen: boolean;
  readonly others: readonly ConferenceParticipant[];
  /** The page shown (0-based) and how many there are: the grid pages past `maxTiles`. */
  readonly page: number;
  readonly pages: number;
}

export interface StageInput {
  readonly layout: ConferenceLayout;
  /** The pinned uid ('' for none). */
  readonly pinned: string;
  /** Who speaks now, most prominent first (the SDK's active speakers). */
  readonly speakers: readonly string[];
  readonly maxTiles: number;
  readonly page: number;
}

/**
 * Arranges the participants (this page's first) for a layout. Speaker: the pinned participant, or
 * else whoever of the others speaks, or else the first other; spotlight: the pinned one (as speaker
 * when nobody is). The grid keeps the pinned participant and then the speakers on its first page.
 */
export function arrange(people: readonly ConferenceParticipant[], input: StageInput): Stage {
  const { layout, pinned, speakers } = input;
  const byUid = (uid: string) => people.find((p) => p.uid === uid);
  // A share takes the large area in every layout; the sharer's camera stays in the strip beside it.
  const sharer = people.find((p) => p.screen);
  if (sharer) return { main: sharer, screen: true, others: people, page: 0, pages: 1 };
  if (layout !== 'grid' && people.length > 1) {
    const main =
      byUid(pinned) ?? speakers.map(byUid).find((p) => p && !p.local) ?? people.find((p) => !p.local) ?? people[0];
    return { main, screen: false, others: people.filter((p) => p !== main), page: 0, pages: 1 };
  }
  // Pinned first, then those speaking, then everyone else in the order they came.
  const rank = (p: ConferenceParticipant) => (p.uid === pinned ? -2 : speakers.includes(p.uid) && !p.local ? -1 : 0);
  const ordered = [...people].sort((a, b) => rank(a) - rank(b));
  const size = Math.max(1, Math.floor(input.maxTiles) || 1);
  const pages = Math.max(1, Math.ceil(ordered.length / size));
  const page = Math.min(Math.max(0, input.page), pages - 1);
  return { main: undefined, screen: false, others: ordered.slice(page * size, (page + 1) * size), page, pages };
}

/**
 * The stage's tiles for an arrangement: one large tile over a strip of the others, or a grid page
 * with its pager. Tiles are listed for assistive technology under the "Participants" label.
 */
export function renderStage(
  stage: Stage,
  t: (key: keyof ConferenceStrings & string) => string,
  strings: Partial<ConferenceStrings>,
  turnPage: (page: number) => void,
) {
  const tile = (p: ConferenceParticipant, screen = false) =>
    html`<oovoo-video-tile
      role="listitem"
      part=${screen ? 'tile screen-tile' : 'tile'}
      exportparts="base:tile-base,video:tile-video,name:tile-name,mic:tile-mic"
      participant=${p.local ? 'local' : p.uid}
      source=${screen ? 'screen' : 'camera'}
      fit=${screen ? 'contain' : 'cover'}
      ?mirror=${p.local && !screen}
      .strings=${strings}
    ></oovoo-video-tile>`;
  const label = t('participants');
  if (stage.main)
    return html`<div part="grid" class="focus">
      <div part="main" role="list" aria-label=${label}>${tile(stage.main, stage.screen)}</div>
      <div part="filmstrip" role="list" aria-label=${label}>${stage.others.map((p) => tile(p))}</div>
    </div>`;
  return html`<div
      part="grid"
      role="list"
      aria-label=${label}
      style=${`--_cols:${Math.ceil(Math.sqrt(stage.others.length))}`}
    >
      ${stage.others.map((p) => tile(p))}
    </div>
    ${
      stage.pages > 1
        ? html`<div part="pager">
            ${iconButton('page-previous', icon(ChevronLeft), t('previousPage'), () => turnPage(stage.page - 1))}
            <span>${stage.page + 1} / ${stage.pages}</span>
            ${iconButton('page-next', icon(ChevronRight), t('nextPage'), () => turnPage(stage.page + 1))}
          </div>`
        : nothing
    }`;
}
