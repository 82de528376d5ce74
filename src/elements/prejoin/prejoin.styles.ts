import { css } from 'lit';

/** The preview beside the form on wide screens, above it on narrow ones; 44 px targets for thumbs. */
export default css`
  :host {
    display: block;
    container-type: inline-size;
    --_accent: var(--oovoo-color-accent, #2563eb);
    --_danger: var(--oovoo-color-danger, #e5484d);
    --_radius: var(--oovoo-radius, 12px);
  }
  [part='base'] {
    display: grid;
    gap: 1rem;
    grid-template-columns: minmax(0, 1fr);
  }
  @container (min-width: 640px) {
    [part='base'] {
      grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr);
      align-items: start;
    }
  }
  .preview {
    position: relative;
    aspect-ratio: 4 / 3;
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--oovoo-tile-background, #3c4043);
  }
  [part='preview'] {
    width: 100%;
    height: 100%;
    object-fit: cover;
    transform: scaleX(-1);
  }
  [part='placeholder'] {
    display: grid;
    place-items: center;
    height: 100%;
    color: #fff;
  }
  [part='meter'] {
    position: absolute;
    inset: auto 0.75rem 0.75rem;
    width: calc(100% - 1.5rem);
    height: 0.5rem;
    accent-color: var(--_accent);
  }
  [part='form'] {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    padding: 1rem;
    border-radius: var(--_radius);
    background: var(--oovoo-surface, #ffffff);
  }
  label {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  input,
  select {
    min-height: 44px;
    font: inherit;
    color: inherit;
    background: transparent;
  }
  select {
    padding: 0.5rem;
    border: 1px solid #8a8a8f;
    border-radius: var(--_radius);
  }
  option {
    color: #1d1d1f;
  }
  .switches,
  .speaker {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  .speaker label {
    flex: 1;
  }
  button {
    min-height: 44px;
  }
  [role='switch'] {
    display: inline-flex;
    flex: 1;
    gap: 0.5rem;
    align-items: center;
    justify-content: center;
    background: var(--_danger);
  }
  [role='switch'][aria-checked='true'] {
    background: var(--_accent);
  }
  svg {
    width: 1.25rem;
    height: 1.25rem;
  }
  [part='error'] {
    margin: 0;
    padding: 0.5rem 0.75rem;
    border-inline-start: 4px solid var(--_danger);
  }
  [part='retry'],
  [part='test-sound'] {
    background: transparent;
    color: inherit;
    border: 1px solid #8a8a8f;
  }
  [part='join-button'] {
    font-weight: 600;
  }
  /* The fields are the form's own boxes, but on a phone (below). */
  .fields {
    display: contents;
  }
  /*
   * Phones (<oovoo-conference>'s phone query): the pre-join fills the height it is given (the whole
   * screen inside a conference), the preview smaller, the fields scrolling and Join always below them.
   */
  @media (max-width: 640px), (max-height: 500px) and (pointer: coarse) {
    :host {
      height: 100%;
    }
    [part='base'] {
      height: 100%;
      grid-template-rows: auto minmax(0, 1fr);
      gap: 0.75rem;
    }
    .preview {
      max-height: 30dvh;
      aspect-ratio: 4 / 3;
      justify-self: center;
      width: auto;
      height: 30dvh;
    }
    [part='form'] {
      min-height: 0;
      padding: 0.75rem;
    }
    .fields {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      min-height: 0;
      overflow-y: auto;
      overscroll-behavior: contain;
    }
    input {
      font-size: max(1rem, 16px);
    }
    [part='join-button'] {
      flex: none;
    }
  }
  @media (max-height: 500px) and (pointer: coarse) and (orientation: landscape) {
    [part='base'] {
      grid-template-columns: minmax(0, 1fr) minmax(16rem, 1fr);
      grid-template-rows: minmax(0, 1fr);
      align-items: stretch;
    }
    .preview {
      height: auto;
      max-height: 100%;
      width: 100%;
      align-self: start;
    }
  }
`;
