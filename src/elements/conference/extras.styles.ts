import { css } from 'lit';

/** The styles of the conference's extras (panel, reaction picker, device lists), adopted when they load. */
export default css`
  /* The popovers' anchors (here: only the extras open them). */
  .menu-anchor,
  [part='devices'] {
    position: relative;
  }
  @container (min-width: 880px) {
    [part='panel'] {
      width: 17rem;
    }
  }
  [part='reaction-picker'],
  [part='devices'] > .popover {
    position: absolute;
    bottom: calc(100% + 0.75rem);
    left: 50%;
    translate: -50% 0;
    display: flex;
    gap: 0.25rem;
    padding: 0.4rem;
    border-radius: 999px;
    background: var(--oovoo-surface);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.35);
    z-index: 3;
  }
  [part='reaction-choice'] {
    position: relative;
    padding: 0.3rem 0.45rem;
    border-radius: 50%;
    background: transparent;
    font-size: 1.5rem;
    line-height: 1;
  }
  [part='devices'] > .popover {
    flex-direction: column;
    gap: 0.6rem;
    width: max-content;
    max-width: 80vw;
    padding: 0.9rem;
    border-radius: var(--_radius);
  }
  [part='devices'] label {
    display: grid;
    gap: 0.25rem;
    font-size: 0.85rem;
  }
  select {
    font: inherit;
    padding: 0.45rem 0.6rem;
    border-radius: 8px;
    border: 1px solid var(--oovoo-border-color);
    background: var(--oovoo-stage-background);
    color: var(--oovoo-color-text);
  }
  [part='panel'] {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    padding: var(--_gap);
    border-radius: var(--_radius);
    background: var(--oovoo-surface);
  }
  [part='panel-header'] {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  [part='panel-header'] h2 {
    margin: 0;
    font-size: 1rem;
  }
  [part='participant-list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.25rem;
  }
  [part='participant'] {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    padding: 0.4rem 0.5rem;
    border-radius: 8px;
  }
  /* The speaking mark on the row's start side: the right one where the base styles turn Arabic and Hebrew right to left. */
  [part='participant'][data-speaking] {
    box-shadow: inset 3px 0 0 var(--oovoo-speaking-color, #3ecf8e);
  }
  :host(:lang(ar):not([dir])) [part='participant'][data-speaking],
  :host(:lang(he):not([dir])) [part='participant'][data-speaking] {
    box-shadow: inset -3px 0 0 var(--oovoo-speaking-color, #3ecf8e);
  }
  [part='participant-states'] {
    display: inline-flex;
    gap: 0.35rem;
    color: var(--oovoo-color-muted-text);
  }
  [part='participant-states'] .hand {
    color: #f5b400;
  }
  [part='participant-states'] [part~='icon'] {
    width: 1rem;
    height: 1rem;
  }
`;
