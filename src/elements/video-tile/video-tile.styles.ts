import { css } from 'lit';

export default css`
  :host {
    display: block;
    position: relative;
    --_bg: var(--oovoo-tile-background, #1c1f26);
    --_radius: var(--oovoo-tile-radius, 12px);
    --_speaking: var(--oovoo-speaking-color, #3ecf8e);
    --_ratio: var(--oovoo-tile-aspect-ratio, 16 / 9);
    --_label-bg: var(--oovoo-tile-label-background, rgb(0 0 0 / 0.55));
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
  }
  /* The speaking ring is drawn over the video, so it shows on any picture. */
  [part='base']::after {
    content: '';
    position: absolute;
    inset: 0;
    border-radius: inherit;
    box-shadow: inset 0 0 0 3px transparent;
    transition: box-shadow 0.15s;
    pointer-events: none;
  }
  :host([speaking]) [part='base']::after {
    box-shadow: inset 0 0 0 3px var(--_speaking);
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
    justify-items: center;
    gap: 0.5rem;
    text-align: center;
    color: rgb(255 255 255 / 0.75);
    font-size: 0.85rem;
  }
  [part='avatar'] {
    display: grid;
    place-items: center;
    width: clamp(2.5rem, 22%, 6rem);
    aspect-ratio: 1;
    border-radius: 50%;
    background: hsl(var(--_hue, 210) 45% 30%);
    color: #fff;
    font-size: clamp(1rem, 4cqi, 2.25rem);
    font-weight: 600;
    letter-spacing: 0.02em;
  }
  [part='base'] {
    container-type: inline-size;
  }
  /* A small tile (a filmstrip) keeps the disc and the name only. */
  @container (max-width: 240px) {
    .placeholder-text {
      display: none;
    }
  }
  [part='label'] {
    position: absolute;
    inset-inline-start: 0.5rem;
    bottom: 0.5rem;
    max-width: calc(100% - 1rem);
    display: flex;
    gap: 0.35rem;
    align-items: center;
    padding: 0.2rem 0.55rem;
    border-radius: 999px;
    background: var(--_label-bg);
    font-size: 0.85rem;
  }
  [part='name'] {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part='mic'] {
    display: inline-flex;
    color: #ff8a80;
  }
  [part='icon'] {
    width: 1.1em;
    height: 1.1em;
    flex: none;
  }
  [part='hand'] {
    position: absolute;
    top: 0.5rem;
    inset-inline-start: 0.5rem;
    display: grid;
    place-items: center;
    padding: 0.35rem;
    border-radius: 50%;
    background: #f5b400;
    color: #1d1d1f;
  }
  [part='reaction'] {
    position: absolute;
    left: 50%;
    bottom: 15%;
    font-size: clamp(2rem, 12cqi, 4rem);
    line-height: 1;
    translate: -50% 0;
    pointer-events: none;
    animation: oovoo-rise 3.5s ease-out forwards;
  }
  @keyframes oovoo-rise {
    0% {
      opacity: 0;
      transform: translateY(20%) scale(0.6);
    }
    12% {
      opacity: 1;
      transform: translateY(0) scale(1.1);
    }
    70% {
      opacity: 1;
    }
    100% {
      opacity: 0;
      transform: translateY(-120%) scale(1);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part='reaction'] {
      animation: none;
    }
  }
  [part='quality'] {
    position: absolute;
    top: 0.6rem;
    inset-inline-end: 3rem;
    display: flex;
    align-items: end;
    gap: 2px;
    height: 0.9rem;
    padding: 0.15rem 0.3rem;
    border-radius: 6px;
    background: var(--_label-bg);
  }
  [part='quality'] i {
    width: 3px;
    height: 35%;
    border-radius: 1px;
    background: rgb(255 255 255 / 0.35);
  }
  [part='quality'] i:nth-child(2) {
    height: 65%;
  }
  [part='quality'] i:nth-child(3) {
    height: 100%;
  }
  [part='quality'] i.on {
    background: #3ecf8e;
  }
  :host([quality='poor']) [part='quality'] i.on,
  :host([quality='lost']) [part='quality'] i.on {
    background: #ff8a80;
  }
  /* Quiet while all is well: the bars show on hover, and always when the link suffers. */
  :host([quality='excellent']) [part='quality'],
  :host([quality='good']) [part='quality'] {
    opacity: 0;
  }
  [part='base']:hover [part='quality'] {
    opacity: 1;
  }
  [part='quality'] .warn {
    margin-inline-start: 0.3rem;
    font-size: 0.75rem;
    line-height: 1;
  }
  [part='pin-button'] {
    position: absolute;
    top: 0.5rem;
    inset-inline-end: 0.5rem;
    display: grid;
    place-items: center;
    padding: 0.4rem;
    border-radius: 50%;
    background: var(--_label-bg);
    color: #fff;
    opacity: 0;
    transition: opacity 0.15s;
  }
  [part='base']:hover [part='pin-button'],
  [part='pin-button']:focus-visible,
  :host([pinned]) [part='pin-button'] {
    opacity: 1;
  }
  /* Visually hidden, still read out. */
  .sr,
  .tip {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
