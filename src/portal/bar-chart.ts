import { LitElement, css, html, svg } from 'lit';
import { property } from 'lit/decorators.js';
import { define, portalStyles } from './styles.js';

export interface ChartPoint {
  readonly day: string;
  readonly value: number;
}

const WIDTH = 600;
const HEIGHT = 160;
const PAD_LEFT = 44;
const PAD_BOTTOM = 22;

/** A number as a chart label: whole numbers plain, others with up to two decimals. */
function label(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}

/** The step a y axis rounds up to: 1, 2 or 5 times a power of ten. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}

/**
 * A daily bar chart in plain SVG (about 2 KB; the smallest chart library we measured, chartist, is
 * 37.8 KB minified). The table beside it carries the same figures for screen readers.
 */
export class PortalBarChart extends LitElement {
  static override styles = [
    portalStyles,
    css`
      figure {
        margin: 0;
      }
      figcaption {
        font-weight: 600;
        margin-bottom: 0.25rem;
      }
      svg {
        width: 100%;
        height: auto;
        display: block;
      }
      .bar {
        fill: var(--portal-chart-color, #3a55c5);
      }
      .axis {
        stroke: #8e8e96;
        stroke-width: 1;
      }
      text {
        font:
          11px system-ui,
          sans-serif;
        fill: #55555c;
      }
    `,
  ];

  /** What is charted, e.g. "Participant-minutes". */
  @property() caption = '';
  @property({ attribute: false }) points: readonly ChartPoint[] = [];

  override render() {
    const points = this.points;
    const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
    const plotWidth = WIDTH - PAD_LEFT;
    const plotHeight = HEIGHT - PAD_BOTTOM - 6;
    const slot = points.length ? plotWidth / points.length : plotWidth;
    const total = points.reduce((t, p) => t + p.value, 0);
    const summary = `${this.caption}: ${label(total)} in total over ${points.length} days, ${label(Math.max(0, ...points.map((p) => p.value)))} on the busiest day.`;
    return html`<figure>
      <figcaption>${this.caption}</figcaption>
      <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${summary}>
        <line class="axis" x1=${PAD_LEFT} y1=${HEIGHT - PAD_BOTTOM} x2=${WIDTH} y2=${HEIGHT - PAD_BOTTOM}></line>
        <text x=${PAD_LEFT - 6} y="12" text-anchor="end">${label(max)}</text>
        <text x=${PAD_LEFT - 6} y=${HEIGHT - PAD_BOTTOM} text-anchor="end">0</text>
        ${points.map((p, i) => {
          const h = (p.value / max) * plotHeight;
          return svg`<rect class="bar" data-day=${p.day} data-value=${p.value}
            x=${PAD_LEFT + i * slot + slot * 0.15} y=${HEIGHT - PAD_BOTTOM - h} width=${Math.max(1, slot * 0.7)} height=${h}>
            <title>${p.day}: ${label(p.value)}</title></rect>`;
        })}
        ${
          points.length
            ? svg`<text x=${PAD_LEFT} y=${HEIGHT - 6}>${points[0]!.day}</text>
              <text x=${WIDTH} y=${HEIGHT - 6} text-anchor="end">${points[points.length - 1]!.day}</text>`
            : null
        }
      </svg>
    </figure>`;
  }
}

define('portal-bar-chart', PortalBarChart);

declare global {
  interface HTMLElementTagNameMap {
    'portal-bar-chart': PortalBarChart;
  }
}
