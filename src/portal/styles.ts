import { css } from 'lit';

/** Shared look of the portal's elements: plain, readable, visible focus. */
export const portalStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font: inherit;
    color: #1d1d1f;
  }
  :host *,
  :host *::before,
  :host *::after {
    box-sizing: inherit;
  }
  h1,
  h2,
  h3 {
    line-height: 1.2;
    margin: 1.25rem 0 0.5rem;
  }
  section {
    background: #fff;
    border: 1px solid #d8d8de;
    border-radius: 8px;
    padding: 1rem 1.25rem;
    margin: 1rem 0;
  }
  label {
    display: block;
    font-weight: 600;
    margin: 0.5rem 0 0.25rem;
  }
  input,
  select {
    font: inherit;
    padding: 0.4rem 0.5rem;
    border: 1px solid #8e8e96;
    border-radius: 4px;
    max-width: 100%;
  }
  button,
  a.button {
    font: inherit;
    padding: 0.4rem 0.9rem;
    border: 1px solid #3a55c5;
    border-radius: 4px;
    background: #3a55c5;
    color: #fff;
    cursor: pointer;
    text-decoration: none;
    display: inline-block;
  }
  button.secondary,
  a.button.secondary {
    background: #fff;
    color: #3a55c5;
  }
  button.danger {
    background: #b3261e;
    border-color: #b3261e;
  }
  button[disabled] {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid #f5a623;
    outline-offset: 2px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  .error {
    color: #b3261e;
    font-weight: 600;
  }
  .note {
    color: #55555c;
  }
  code {
    font-family: ui-monospace, monospace;
    word-break: break-all;
    background: #f1f1f4;
    padding: 0.1rem 0.3rem;
    border-radius: 3px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-variant-numeric: tabular-nums;
  }
  th,
  td {
    text-align: left;
    padding: 0.3rem 0.5rem;
    border-bottom: 1px solid #e4e4e9;
  }
  td.num,
  th.num {
    text-align: right;
  }
  ul.plain {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  ul.plain li {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    padding: 0.25rem 0;
  }
`;

/** Registers an element unless its tag is taken (the page may load the script twice). */
export function define(tag: string, element: CustomElementConstructor): void {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

/** The description of a failed call, for a role=alert line. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
