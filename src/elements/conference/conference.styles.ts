import { css } from 'lit';

/**
 * The call's designed default. The theme sets the public `--oovoo-*` tokens on the host, so the
 * tiles and the chat inside take them too; a page overrides any token on the element itself.
 */
export default css`
  /* light-dark() picks by the host's color-scheme: dark by default, light or the system's by theme. */
  :host {
    color-scheme: dark;
    --oovoo-stage-background: light-dark(#eef0f3, #0f1115);
    --oovoo-surface: light-dark(#ffffff, #1c1f26);
    --oovoo-color-text: light-dark(#1d1d1f, #e8eaed);
    --oovoo-color-muted-text: light-dark(#5f6368, #9aa0a6);
    --oovoo-control-background: light-dark(#e3e6ea, #2b2f38);
    --oovoo-control-hover-background: light-dark(#d5d9df, #3a3f4b);
    --oovoo-control-active-background: light-dark(#1d1d1f, #e8eaed);
    --oovoo-control-active-color: light-dark(#ffffff, #1d1d1f);
    --oovoo-border-color: light-dark(#d5d9df, #2f333c);
    --oovoo-tile-background: light-dark(#3c4043, #1c1f26);
  }
  :host([theme='light']) {
    color-scheme: light;
  }
  :host([theme='auto']) {
    color-scheme: light dark;
  }
  :host {
    display: block;
    container-type: inline-size;
    --_gap: var(--oovoo-conference-gap, 0.75rem);
    --_tile-min: var(--oovoo-tile-min-width, 160px);
    --_danger: var(--oovoo-color-danger, #e5484d);
    --_accent: var(--oovoo-color-accent, #2563eb);
    --_radius: var(--oovoo-radius, 12px);
    --_side: var(--oovoo-side-width, 22rem);
    --_control: var(--oovoo-control-background);
    --_control-hover: var(--oovoo-control-hover-background);
    color: var(--oovoo-color-text);
  }
  [part='base'] {
    display: grid;
    gap: var(--_gap);
    grid-template-columns: minmax(0, 1fr);
  }
  /* Wide: the panel and the chat stand beside the stage (the panel's width comes with it, in extras.styles.ts). */
  @container (min-width: 880px) {
    [part='base'] {
      grid-auto-flow: column;
      grid-template-columns: minmax(0, 1fr);
      grid-auto-columns: auto;
    }
    [part='side'] {
      width: var(--_side);
    }
    [part='side'] ::slotted(*) {
      height: 100%;
    }
  }
  [part='stage'] {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    min-height: 18rem;
    padding: var(--_gap);
    border-radius: var(--_radius);
    background: var(--oovoo-stage-background);
  }
  slot[name='tiles'] {
    display: block;
    flex: 1;
  }
  /* About as many columns as rows (--_cols is the square root of the tile count), never narrower than the minimum. */
  [part='grid'] {
    display: grid;
    gap: var(--_gap);
    grid-template-columns: repeat(
      auto-fit,
      minmax(max(min(100%, var(--_tile-min)), calc(100% / var(--_cols, 1) - var(--_gap))), 1fr)
    );
    align-content: center;
  }
  [part='grid'].focus {
    grid-template-columns: minmax(0, 1fr);
  }
  [part='filmstrip'] {
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(9rem, 12rem);
    gap: var(--_gap);
    overflow-x: auto;
    justify-content: center;
  }
  [part='filmstrip']:empty {
    display: none;
  }
  [part='pager'] {
    display: flex;
    gap: var(--_gap);
    align-items: center;
    justify-content: center;
    margin-top: var(--_gap);
  }
  /* Previous points to the start: right, in a right-to-left language. */
  [part='pager'] svg {
    scale: var(--_mirror);
  }
  [part='controls'] {
    position: relative;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
    justify-content: center;
    align-self: center;
    padding: 0.5rem 0.75rem;
    border-radius: 999px;
    background: var(--oovoo-controls-background, var(--oovoo-surface));
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.3);
  }
  button,
  summary.icon-button {
    color: var(--oovoo-color-text);
    background: var(--_control);
    transition: background-color 0.15s;
  }
  button:hover,
  summary.icon-button:hover {
    background: var(--_control-hover);
  }
  .icon-button {
    position: relative;
    display: grid;
    place-items: center;
    width: 2.75rem;
    height: 2.75rem;
    padding: 0;
    border-radius: 50%;
    cursor: pointer;
    list-style: none;
  }
  summary.icon-button::-webkit-details-marker {
    display: none;
  }
  [part~='icon'] {
    width: 1.25rem;
    height: 1.25rem;
  }
  .icon-button[aria-pressed='true'] {
    background: var(--oovoo-control-active-background);
    color: var(--oovoo-control-active-color);
  }
  [part~='mic-button'][aria-pressed='true'],
  [part~='camera-button'][aria-pressed='true'] {
    background: var(--_danger);
    color: #fff;
  }
  [part~='hand-button'][aria-pressed='true'] {
    background: #f5b400;
    color: #1d1d1f;
  }
  [part~='leave-button'] {
    width: 3.5rem;
    border-radius: 999px;
    background: var(--_danger);
    color: #fff;
  }
  [part~='leave-button']:hover {
    background: color-mix(in srgb, var(--_danger) 85%, #000);
  }
  [part~='join-button'] {
    padding: 0.6rem 1.6rem;
    border-radius: 999px;
    background: var(--_accent);
    color: #fff;
    font-weight: 600;
  }
  /* The label of an icon button: read out always, shown as a tooltip on hover and focus. */
  .tip {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .icon-button:hover > .tip,
  .icon-button:focus-visible > .tip {
    bottom: calc(100% + 0.5rem);
    left: 50%;
    translate: -50% 0;
    width: auto;
    height: auto;
    clip-path: none;
    padding: 0.25rem 0.5rem;
    border-radius: 6px;
    background: #000;
    color: #fff;
    font-size: 0.8rem;
    pointer-events: none;
    z-index: 2;
  }
  /* Only the video element's own picture-in-picture shows it. */
  [part='pip-video'] {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    pointer-events: none;
  }
  [part='stage'] {
    position: relative;
  }
  [part='status'] {
    margin: 0;
    min-height: 1.2em;
    text-align: center;
    color: var(--oovoo-color-muted-text);
  }
  [part='status']:empty {
    display: none;
  }
  [part='error'] {
    margin: 0;
    text-align: center;
    color: var(--_danger);
  }
`;
