/**
 * The elements' icons: Lucide (ISC licence, https://lucide.dev), imported one by one so a bundle
 * carries only the icons used. Each is drawn with the current text colour; the button around it
 * gives the accessible name, so the icon itself is hidden from assistive technology.
 */
import { html } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import type { IconNode } from 'lucide';

export {
  ChevronLeft,
  ChevronRight,
  Hand,
  Mic,
  MicOff,
  PhoneOff,
  PictureInPicture2,
  Pin,
  ScreenShare,
  Settings,
  SmilePlus,
  Users,
  Video,
  VideoOff,
  X,
} from 'lucide';

const drawn = new WeakMap<IconNode, string>();

/** An icon as inline SVG. The markup comes from the icon set's constant data, never from input. */
export function icon(node: IconNode) {
  let inner = drawn.get(node);
  if (inner === undefined) {
    inner = node
      .map(
        ([tag, attrs]) =>
          `<${tag}${Object.entries(attrs)
            .map(([k, v]) => ` ${k}="${v}"`)
            .join('')}/>`,
      )
      .join('');
    drawn.set(node, inner);
  }
  return html`<svg
    part="icon"
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    stroke-width="2"
    stroke-linecap="round"
    stroke-linejoin="round"
    aria-hidden="true"
  >
    ${unsafeSVG(inner)}
  </svg>`;
}
