import { css } from 'lit';

export default css`
  :host {
    display: block;
    --_gap: var(--oovoo-login-gap, 0.75rem);
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
  [part='status'] {
    margin: 0.5rem 0;
  }
  [part='error'] {
    color: #b00020;
  }
`;
