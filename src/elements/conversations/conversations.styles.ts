import { css } from 'lit';

// The list beside the chat; below 40rem of the element's own width, one at a time (the chat with a back button).
export default css`
  :host {
    display: block;
    container-type: inline-size;
    --_list-width: var(--oovoo-conversations-width, 18rem);
    --_selected: var(--oovoo-conversations-selected-background, light-dark(#e3efff, #1f3b73));
    --_muted: var(--oovoo-color-muted-text, light-dark(#4a4a4f, #b0b4ba));
    --_border: var(--oovoo-border-color, #8a8a8f);
  }
  [part='base'] {
    display: grid;
    grid-template-columns: var(--_list-width) minmax(0, 1fr);
    gap: 0.75rem;
    align-items: start;
  }
  [part='base'].alone {
    grid-template-columns: minmax(0, 1fr);
  }
  .alone [part='chat'] {
    display: none;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow-y: auto;
    max-height: var(--oovoo-conversations-height, 24rem);
  }
  [part~='conversation'] {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    gap: 0.125rem 0.5rem;
    padding: 0.5rem 0.75rem;
    cursor: pointer;
    border-bottom: 1px solid color-mix(in srgb, var(--_border) 40%, transparent);
  }
  [part~='conversation']:last-child {
    border-bottom: 0;
  }
  [part~='selected'] {
    background: var(--_selected);
  }
  [part='conversation']:hover {
    background: color-mix(in srgb, var(--_selected) 50%, transparent);
  }
  [part='name'] {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='time'],
  [part='preview'] {
    font-size: 0.85em;
    color: var(--_muted);
  }
  [part='preview'] {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='preview'].deleted {
    font-style: italic;
  }
  [part='preview'].typing {
    color: var(--_accent);
  }
  [part='unread'] {
    justify-self: end;
    min-width: 1.5em;
    padding: 0 0.4em;
    border-radius: 1em;
    background: var(--_accent);
    color: #fff;
    font-size: 0.8em;
    text-align: center;
  }
  [part='more'] {
    margin-top: 0.5rem;
  }
  [part='empty'],
  [part='choose'] {
    color: var(--_muted);
  }
  [part='back'] {
    display: none;
    margin-bottom: 0.5rem;
  }
  @container (max-width: 40rem) {
    [part='base'] {
      grid-template-columns: minmax(0, 1fr);
    }
    [part='base'].showing-chat [part='list-pane'],
    [part='base']:not(.showing-chat) [part='chat'] {
      display: none;
    }
    [part='back'] {
      display: inline-block;
    }
  }
`;
