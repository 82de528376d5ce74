import { css } from 'lit';

export default css`
  :host {
    display: block;
    --_height: var(--oovoo-chat-height, 20rem);
    --_own: var(--oovoo-chat-own-background, #e3efff);
    --_other: var(--oovoo-chat-other-background, #f1f1f3);
  }
  [part='base'] {
    display: grid;
    gap: 0.5rem;
  }
  [part='log'] {
    height: var(--_height);
    overflow-y: auto;
    border: 1px solid #8a8a8f;
    border-radius: var(--_radius);
    padding: 0.5rem;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  li {
    background: var(--_other);
    border-radius: var(--_radius);
    padding: 0.375rem 0.625rem;
    max-width: 85%;
    justify-self: start;
  }
  li[part~='own'] {
    background: var(--_own);
    justify-self: end;
  }
  [part='sender'] {
    font-weight: 600;
    margin-inline-end: 0.5rem;
  }
  [part='time'],
  [part='status'] {
    font-size: 0.8em;
    color: #4a4a4f;
  }
  [part='status'] {
    display: block;
    text-align: end;
  }
  [part='body'] {
    margin: 0.25rem 0 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  a {
    color: var(--_accent);
  }
  [part='empty'] {
    margin: 0;
    color: #4a4a4f;
  }
  [part='form'] {
    display: flex;
    gap: 0.5rem;
    align-items: end;
  }
  textarea {
    flex: 1;
    resize: vertical;
  }
`;
