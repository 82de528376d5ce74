import { css } from 'lit';

export default css`
  :host {
    display: block;
    --_height: var(--oovoo-chat-height, 20rem);
    /* light-dark(): dark bubbles when the chat sits in a dark <oovoo-conference> (its color-scheme). */
    --_own: var(--oovoo-chat-own-background, light-dark(#e3efff, #1f3b73));
    --_other: var(--oovoo-chat-other-background, light-dark(#f1f1f3, #2b2f38));
    --_muted: var(--oovoo-color-muted-text, light-dark(#4a4a4f, #b0b4ba));
  }
  [part='base'] {
    display: grid;
    gap: 0.5rem;
  }
  [part='log'] {
    height: var(--_height);
    overflow-y: auto;
    border: 1px solid var(--oovoo-border-color, #8a8a8f);
    border-radius: var(--_radius);
    padding: 0.5rem;
    background: var(--oovoo-surface, transparent);
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
    color: var(--_muted);
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
    color: var(--_muted);
  }
  [part='form'] {
    display: flex;
    gap: 0.5rem;
    align-items: end;
  }
  textarea {
    flex: 1;
    resize: vertical;
    background: var(--oovoo-surface, Field);
    color: inherit;
    border-color: var(--oovoo-border-color, #8a8a8f);
  }
`;
