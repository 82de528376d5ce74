/**
 * The elements' icons: Lucide (ISC licence, https://lucide.dev), imported one by one so a bundle
 * carries only the icons used. Each is drawn with the current text colour; the button around it
 * gives the accessible name, so the icon itself is hidden from assistive technology.
 */
import { html, nothing, svg } from 'lit';
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

type Attrs = Record<string, string | undefined>;

/** One template per shape the icons use: the markup is static, only the figures are bound. */
const SHAPES: Record<string, (a: Attrs) => unknown> = {
  path: (a) => svg`<path d=${a.d!} />`,
  circle: (a) => svg`<circle cx=${a.cx!} cy=${a.cy!} r=${a.r!} />`,
  rect: (a) =>
    svg`<rect x=${a.x!} y=${a.y!} width=${a.width!} height=${a.height!} rx=${a.rx ?? nothing} ry=${a.ry ?? nothing} />`,
};

/** An icon as inline SVG, drawn from the icon set's constant data. */
export function icon(node: IconNode) {
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
    ${node.map(([tag, attrs]) => SHAPES[tag]?.(attrs as Attrs))}
  </svg>`;
}
