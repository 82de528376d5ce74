import { LitElement, css, html } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PortalApi, UsageDay, UsageReport } from './api.js';
import './bar-chart.js';
import { define, errorText, portalStyles } from './styles.js';

const RANGES = [7, 30, 90] as const;

const METRICS: ReadonlyArray<{ key: keyof Omit<UsageDay, 'day'>; caption: string }> = [
  { key: 'participantMinutes', caption: 'Participant-minutes' },
  { key: 'conferences', caption: 'Conferences' },
  { key: 'peakParticipants', caption: 'Peak participants' },
  { key: 'messagesSent', caption: 'Messages sent' },
  { key: 'messagesDelivered', caption: 'Messages delivered' },
  { key: 'pushesSent', caption: 'Pushes sent' },
];

/** An app's usage per day: charts, the same figures in a table, and a CSV download. */
export class PortalUsage extends LitElement {
  static override styles = [
    portalStyles,
    css`
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 1rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(0, 1.4fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 60rem) {
        .layout {
          grid-template-columns: 1fr;
        }
      }
      .table-wrap {
        max-height: 32rem;
        overflow: auto;
      }
      button[aria-pressed='true'] {
        background: #23367f;
      }
      tfoot td {
        font-weight: 700;
      }
    `,
  ];

  @property({ attribute: false }) api!: PortalApi;
  @property({ attribute: 'app-id' }) appId = '';
  @state() private days: (typeof RANGES)[number] = 7;
  @state() private report: UsageReport | undefined;
  @state() private error = '';

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('appId') && this.appId) void this.load();
  }

  /** Fetches the figures again (after a call, say). */
  async load(): Promise<void> {
    try {
      this.error = '';
      this.report = await this.api.usage(this.appId, this.days);
    } catch (e) {
      this.error = errorText(e);
    }
  }

  private pick(days: (typeof RANGES)[number]): void {
    this.days = days;
    void this.load();
  }

  override render() {
    const r = this.report;
    return html`<section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage</h2>
      <div class="row" role="group" aria-label="Period">
        ${RANGES.map(
          (d) =>
            html`<button class="secondary" aria-pressed=${String(this.days === d)} @click=${() => this.pick(d)}>
              Last ${d} days
            </button>`,
        )}
        <button class="secondary" @click=${() => this.load()}>Refresh</button>
        <a class="button secondary" href=${this.api?.usageCsvUrl(this.appId, this.days) ?? '#'} download
          >Download CSV</a
        >
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : null}
      ${
        r
          ? html`<p class="note">UTC days ${r.from} to ${r.to}.</p>
              <div class="layout">
                <div class="charts">
                  ${METRICS.map(
                    (m) =>
                      html`<portal-bar-chart
                        data-metric=${m.key}
                        caption=${m.caption}
                        .points=${r.days.map((d) => ({ day: d.day, value: d[m.key] }))}
                      ></portal-bar-chart>`,
                  )}
                </div>
                <div class="table-wrap">${this.table(r)}</div>
              </div>`
          : html`<p class="note">Loading…</p>`
      }
    </section>`;
  }

  private table(r: UsageReport) {
    // Newest first: the day a developer looks for is usually today.
    const rows = [...r.days].reverse();
    return html`<table>
      <caption class="note">
        Usage per day
      </caption>
      <thead>
        <tr>
          <th scope="col">Day</th>
          ${METRICS.map((m) => html`<th scope="col" class="num">${m.caption}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (d) =>
            html`<tr data-day=${d.day}>
              <th scope="row">${d.day}</th>
              ${METRICS.map((m) => html`<td class="num" data-metric=${m.key}>${d[m.key]}</td>`)}
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr data-day="total">
          <th scope="row">Total</th>
          ${METRICS.map((m) => html`<td class="num" data-metric=${m.key}>${r.totals[m.key]}</td>`)}
        </tr>
      </tfoot>
    </table>`;
  }
}

define('portal-usage', PortalUsage);

declare global {
  interface HTMLElementTagNameMap {
    'portal-usage': PortalUsage;
  }
}
