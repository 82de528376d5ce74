import { css } from 'lit';

export default css`
  :host {
    display: block;
    --_gap: var(--oovoo-login-gap, 0.75rem);
    --_accent: var(--oovoo-color-accent, #0a66d8);
    --_radius: var(--oovoo-radius, 6px);
  }
  [part='form'] {
    display: grid;
    gap: var(--_gap);
    max-width: 24rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
  }
  input {
    font: inherit;
    padding: 0.5rem;
    border: 1px solid #8a8a8f;
    border-radius: var(--_radius);
  }
  button {
    font: inherit;
    padding: 0.5rem 1rem;
    border: 0;
    border-radius: var(--_radius);
    background: var(--_accent);
    color: #fff;
    cursor: pointer;
  }
  button:focus-visible,
  input:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  [part='status'] {
    margin: 0.5rem 0;
  }
  [part='error'] {
    color: #b00020;
  }
`;
