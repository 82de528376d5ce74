import { css } from 'lit';

export default css`
  :host {
    display: block;
    --_gap: var(--oovoo-conference-gap, 0.5rem);
    --_tile-min: var(--oovoo-tile-min-width, 240px);
    --_danger: var(--oovoo-color-danger, #c62828);
    --_bar-bg: var(--oovoo-controls-background, transparent);
  }
  [part='base'] {
    display: grid;
    gap: var(--_gap);
  }
  [part='grid'] {
    display: grid;
    gap: var(--_gap);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--_tile-min)), 1fr));
  }
  :host([layout='speaker']) [part='grid'] > :first-child {
    grid-column: 1 / -1;
  }
  [part='controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
    justify-content: center;
    padding: var(--_gap);
    background: var(--_bar-bg);
  }
  /* Buttons, inputs and the focus ring come from the base element's shared control styles. */
  select {
    font: inherit;
    padding: 0.45rem 0.6rem;
    border-radius: var(--_radius);
  }
  button[aria-pressed='true'] {
    background: #5f6368;
  }
  [part~='leave-button'] {
    background: var(--_danger);
  }
  [part='devices'] {
    position: relative;
  }
  [part='devices'] label {
    display: grid;
    gap: 0.2rem;
    margin-top: 0.4rem;
  }
  [part='status'] {
    margin: 0;
    text-align: center;
  }
  [part='error'] {
    margin: 0;
    color: var(--_danger);
  }
`;
