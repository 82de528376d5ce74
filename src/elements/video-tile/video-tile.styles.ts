import { css } from 'lit';

export default css`
  :host {
    display: block;
    position: relative;
    --_bg: var(--oovoo-tile-background, #1d1d1f);
    --_radius: var(--oovoo-tile-radius, 8px);
    --_speaking: var(--oovoo-speaking-color, #2fbf71);
    --_ratio: var(--oovoo-tile-aspect-ratio, 16 / 9);
  }
  [part='base'] {
    position: relative;
    aspect-ratio: var(--_ratio);
    height: 100%;
    width: 100%;
    overflow: hidden;
    border-radius: var(--_radius);
    background: var(--_bg);
    color: #fff;
    outline: 3px solid transparent;
    transition: outline-color 0.15s;
  }
  :host([speaking]) [part='base'] {
    outline-color: var(--_speaking);
    outline-offset: -3px;
  }
  video {
    width: 100%;
    height: 100%;
    object-fit: cover;
    display: block;
  }
  :host([fit='contain']) video {
    object-fit: contain;
  }
  :host([mirror]) video {
    transform: scaleX(-1);
  }
  :host([camera-off]) video {
    visibility: hidden;
  }
  [part='placeholder'] {
    position: absolute;
    inset: 0;
    display: grid;
    place-content: center;
    text-align: center;
    gap: 0.25rem;
  }
  [part='avatar'] {
    font-size: 2rem;
    font-weight: 600;
  }
  [part='label'] {
    position: absolute;
    left: 0.5rem;
    bottom: 0.5rem;
    max-width: calc(100% - 1rem);
    display: flex;
    gap: 0.4rem;
    align-items: center;
    padding: 0.15rem 0.5rem;
    border-radius: 4px;
    background: rgb(0 0 0 / 0.6);
  }
  [part='name'] {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='mic'] {
    color: #ff8a80;
    font-size: 0.85em;
  }
`;
