import { css } from 'lit';

/** The host UI's styles (with the extras): the waiting screen, notices, knocks, and the panel's host parts. */
export default css`
  /* The waiting screen covers the stage (your own tile shows through, dimmed). */
  [part='lobby'] {
    position: absolute;
    inset: 0;
    z-index: 2;
    display: grid;
    place-content: center;
    justify-items: center;
    gap: 1rem;
    padding: var(--_gap);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--oovoo-stage-background) 85%, transparent);
    text-align: center;
  }
  [part='lobby-message'] {
    margin: 0;
    font-size: 1.15rem;
    font-weight: 600;
  }
  [part='lobby-no-host'] {
    display: block;
    margin-top: 0.4rem;
    font-size: 0.95rem;
    font-weight: 400;
    color: var(--oovoo-color-muted-text);
  }
  [part='lobby-leave-button'],
  [part='knock'] button,
  [part='remove-confirm'] button,
  [part~='host-switch'] {
    padding: 0.45rem 1rem;
    border-radius: 999px;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  /* Darker than the icon buttons' red: white text on it needs 4.5:1. */
  [part='lobby-leave-button'],
  [part='remove-button'] {
    background: color-mix(in srgb, var(--_danger) 78%, #000);
    color: #fff;
  }
  [part='admit-button'] {
    background: var(--_accent);
    color: #fff;
  }
  [part='notice'],
  [part='knocks'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem 0.75rem;
    align-items: center;
    justify-content: center;
    align-self: center;
    max-width: 100%;
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    background: var(--oovoo-surface);
    box-shadow: 0 6px 24px rgb(0 0 0 / 0.3);
  }
  [part='notice'] .icon-button {
    width: 2rem;
    height: 2rem;
  }
  [part='knocks-title'] {
    margin: 0;
    font-weight: 600;
  }
  [part='knock-list'] {
    display: grid;
    gap: 0.4rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='knock'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  [part='knock-name'] {
    flex: 1;
  }
  [part='host-controls'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  [part~='host-switch'][aria-pressed='true'] {
    background: var(--oovoo-control-active-background);
    color: var(--oovoo-control-active-color);
  }
  [part='participant'] {
    flex-wrap: wrap;
  }
  [part='participant-name'] {
    flex: 1;
  }
  /* The confirmation takes a line of its own under the name. */
  [part='remove-confirm'] {
    flex-basis: 100%;
    justify-content: flex-end;
  }
  [part='remove-confirm'] > span {
    flex-basis: 100%;
  }
  [part='host-badge'] {
    padding: 0.1rem 0.45rem;
    border-radius: 999px;
    background: var(--_accent);
    color: #fff;
    font-size: 0.75rem;
    font-weight: 600;
  }
  [part='host-actions'],
  [part='remove-confirm'] {
    display: inline-flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    align-items: center;
  }
  [part~='host-action'] {
    width: 2rem;
    height: 2rem;
  }
  [part~='host-action']:disabled {
    opacity: 0.45;
    cursor: default;
  }
  [part~='host-action'] [part~='icon'] {
    width: 1rem;
    height: 1rem;
  }
`;
