import { css } from 'lit';

/**
 * <oovoo-conference> on a phone (with the extras, which a screen that may be a phone's loads at once:
 * stage.ts's `onPhone`; this query decides, and <oovoo-chat> and <oovoo-prejoin> use the same one). In a
 * call, and on the pre-join, the phone's screen is the call's: fixed over the page, inside the safe area,
 * the control bar at the bottom with 44 px targets; the grid shows as the speaker layout. The panel and
 * the chat are sheets: under the call in portrait, beside it in landscape, and the call shrinks to make
 * room (nothing under a sheet is hidden there, still tappable). A page that places the call itself on
 * phones overrides `position` and `inset` on the element.
 */
export default css`
  @media (max-width: 640px), (max-height: 500px) and (pointer: coarse) {
    :host([prejoin]),
    :host([state='joining']),
    :host([state='waiting']),
    :host([state='joined']),
    :host([state='reconnecting']) {
      position: fixed;
      inset: 0;
      /* A page's margin for the element in its flow would shift the whole screen (!important: the inner one wins). */
      margin: 0 !important;
      z-index: var(--oovoo-phone-z-index, 1000);
      background: var(--oovoo-stage-background);
    }
    [part='base'] {
      display: flex;
      flex-direction: column;
      gap: 0;
      height: 100%;
      padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
    }
    [part='stage'] {
      flex: 1;
      min-height: 0;
      min-width: 0;
      gap: 0.5rem;
      padding: 0.5rem;
      border-radius: 0;
    }
    /*
     * The speaker large, filling what the bar leaves; the others in a strip (tiles 7.5rem wide, 16:9) that
     * scrolls. What lies under the large tile (--_below: the strip, the pager) and beside it (--_beside).
     */
    slot[name='tiles'] {
      position: relative;
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      min-height: 0;
      --_below: calc(7.5rem * 9 / 16 + 0.5rem);
      --_beside: 0px;
    }
    slot[name='tiles']:has(> [part='pager']) {
      --_below: calc(7.5rem * 9 / 16 + 3.75rem);
    }
    [part='grid'] {
      flex: 1;
      min-height: 0;
    }
    [part='grid'].focus {
      display: flex;
      flex-direction: column;
    }
    [part='main'] {
      flex: 1;
      min-height: 0;
    }
    [part='main'] > * {
      height: 100%;
      --oovoo-tile-aspect-ratio: auto;
    }
    [part='filmstrip'],
    [part='grid']:not(.focus) {
      grid-auto-columns: 7.5rem;
      justify-content: start;
      overscroll-behavior: contain;
    }
    [part='filmstrip'] {
      flex: none;
    }
    /*
     * The grid turns into the speaker layout with no help from the SDK script: the grid itself is the
     * strip, and the tile the speaker layout would show large (the pinned one, else the first of the
     * others: the grid ranks speakers first) lies over the rest of the stage. Alone, your tile fills it.
     */
    [part='grid']:not(.focus) {
      display: flex;
      align-items: end;
      overflow: auto hidden;
    }
    [part='grid']:not(.focus) > * {
      flex: 0 0 7.5rem;
    }
    [part='grid']:not(.focus):has(> [pinned]) > [pinned],
    [part='grid']:not(.focus):not(:has(> [pinned])) > :first-child:not([participant='local']),
    [part='grid']:not(.focus):not(:has(> [pinned])) > [participant='local']:first-child + *,
    [part='grid']:not(.focus) > :only-child {
      position: absolute;
      inset-block: 0 var(--_below);
      inset-inline: 0 var(--_beside);
      --oovoo-tile-aspect-ratio: auto;
    }
    [part='grid']:not(.focus) > :only-child {
      --_below: 0px;
      --_beside: 0px;
    }
    [part='pager'] {
      margin: 0;
    }
    /* Thumbs: 44 px for every target, the tiles' pin too (bars of the quality mark moved clear of it). */
    button,
    summary,
    select,
    .icon-button,
    [part='notice'] .icon-button {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
    oovoo-video-tile::part(pin-button) {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
    oovoo-video-tile::part(quality) {
      inset-inline-end: 3.75rem;
    }
    [part='controls'] {
      align-self: stretch;
      gap: 0.5rem;
      padding: 0.5rem;
      border-radius: var(--_radius);
      box-shadow: none;
    }
    /* Nothing to show in the bar while the pre-join or the lobby has the stage. */
    [part='controls']:not(:has(> :not(slot))) {
      display: none;
    }
    /* The pickers open above the bar's middle, not above their button (which may sit at an edge). */
    .menu-anchor,
    [part='devices'] {
      position: static;
    }
    [part='reaction-picker'],
    [part='devices'] > .popover {
      bottom: calc(100% + 0.5rem);
      max-width: calc(100% - 1rem);
      flex-wrap: wrap;
      justify-content: center;
    }
    [part='reaction-picker'] {
      border-radius: var(--_radius);
    }
    /* A touch leaves :hover on the button: its tooltip would stay over the tiles. */
    @media (hover: none) {
      .icon-button:not(:focus-visible) > .tip {
        width: 1px;
        height: 1px;
        padding: 0;
        clip-path: inset(50%);
      }
    }
    [part='prejoin'] {
      flex: 1;
      min-height: 0;
    }
    /* The sheets: the participant panel, and the chat (its own <oovoo-chat> opens and closes itself). */
    [part='panel'] {
      flex: 0 1 auto;
      max-height: 55%;
      overflow-y: auto;
      overscroll-behavior: contain;
      border-radius: var(--_radius) var(--_radius) 0 0;
    }
    [part='side'] {
      flex: none;
      min-height: 0;
    }
    /* One sheet at a time (the chat's comes back when the panel closes); none before the call. */
    :host([participants-open]) [part='side'],
    :host(:not([state='joined']):not([state='reconnecting'])) [part='side'] {
      display: none;
    }
    @media (orientation: landscape) {
      [part='base'] {
        flex-direction: row;
      }
      [part='grid'].focus {
        flex-direction: row;
      }
      [part='main'] {
        min-width: 0;
      }
      [part='filmstrip'] {
        grid-auto-flow: row;
        grid-auto-columns: minmax(0, 1fr);
        width: 8rem;
        overflow: hidden auto;
        align-content: start;
      }
      /* The grid's strip stands at the end, the large tile beside it. */
      slot[name='tiles'] {
        --_below: 0px;
        --_beside: calc(8rem + 0.5rem);
      }
      slot[name='tiles']:has(> [part='pager']) {
        --_below: 3.25rem;
      }
      [part='grid']:not(.focus) {
        flex-direction: column;
        align-items: stretch;
        width: 8rem;
        margin-inline-start: auto;
        overflow: hidden auto;
      }
      [part='grid']:not(.focus) > * {
        flex: none;
      }
      [part='panel'] {
        width: min(20rem, 45%);
        max-height: none;
        border-radius: var(--_radius) 0 0 var(--_radius);
      }
      [part='side'] {
        display: flex;
        flex-direction: column;
        justify-content: end;
        width: auto;
      }
      [part='side'] ::slotted(*) {
        height: 100%;
      }
    }
  }
`;
