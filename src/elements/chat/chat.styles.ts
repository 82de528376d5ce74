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
  [part='typing'] {
    margin: 0.5rem 0 0;
    font-size: 0.85em;
    font-style: italic;
    color: var(--_muted);
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
  /* The sheet's toggle shows on phones only (below). */
  [part='sheet-toggle'] {
    display: none;
  }
  /* Phones (the query of <oovoo-conference>'s phone layout): 44 px targets, 16 px text (no zoom on focus). */
  @media (max-width: 640px), (max-height: 500px) and (pointer: coarse) {
    textarea {
      min-height: 2.75rem;
      font-size: max(1rem, 16px);
      resize: none;
    }
    [part='send'] {
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
    /* Inside a conference, a sheet: closed, only its toggle (with the unread count); open, the chat fills it. */
    .sheet {
      padding: 0.5rem;
      border-radius: var(--_radius) var(--_radius) 0 0;
      background: var(--oovoo-surface, Canvas);
    }
    .sheet:not(.open) > :not([part='sheet-toggle']) {
      display: none;
    }
    .sheet.open {
      display: flex;
      flex-direction: column;
      height: 50dvh;
    }
    .sheet.open [part='log'] {
      flex: 1;
      min-height: 0;
      height: auto;
    }
    [part='sheet-toggle'] {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: center;
      min-height: 2.75rem;
      background: var(--oovoo-control-background, #2b2f38);
      color: inherit;
      font-weight: 600;
    }
    [part='sheet-toggle'] svg {
      width: 1.25rem;
      height: 1.25rem;
    }
    [part='sheet-unread'] {
      min-width: 1.5rem;
      padding: 0 0.4rem;
      border-radius: 999px;
      background: var(--_accent);
      color: #fff;
      font-size: 0.85rem;
    }
    /* Landscape: beside the call, the whole height when open; closed, an icon at the bottom. */
    @media (orientation: landscape) {
      .sheet,
      .sheet.open {
        height: 100%;
        align-content: end;
        border-radius: var(--_radius) 0 0 var(--_radius);
      }
      .sheet:not(.open) {
        background: transparent;
      }
      .sheet.open {
        width: min(20rem, 42vw);
      }
      .sheet:not(.open) .label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
        white-space: nowrap;
      }
    }
  }
`;
