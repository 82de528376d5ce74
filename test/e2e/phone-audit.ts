// What a phone test checks of the controls on screen (test/e2e/phone-layout.test.ts): every visible
// control of an element (through its shadow roots and what is slotted into it) lies inside the
// viewport's safe area, is a 44×44 px target, and is neither overlapped by another control nor covered
// (the element at its centre is the control or inside it); and the document does not scroll sideways.
import type { Page } from 'playwright-core';

/** The parts of the viewport a notch or a home bar takes (CSS px). */
export interface Insets {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface ControlAudit {
  /** Each control found, described (tag, part, name), and whether it showed. */
  controls: { name: string; visible: boolean }[];
  /** What is wrong, one line each; empty when all is well. */
  problems: string[];
  /** The document's width beside the phone's (no sideways scroll when the first is not larger). */
  scrollWidth: number;
  viewportWidth: number;
}

/** The phone's screen in CSS px (a mobile page that overflows widens its own viewport to fit: not this). */
export interface Screen {
  width: number;
  height: number;
}

/** The smallest target a thumb gets (WCAG 2.5.5, Apple's and Google's guidelines): 44 CSS px. */
export const MIN_TARGET = 44;

/**
 * Audits the controls of `selector`'s element. A control scrolled out of a scrolling box (a long form's
 * fields) is not shown and not checked; the part of one a scrolling box clips is what is checked.
 * The page needs esbuild's `__name` (installNameShim): the test's transform names the functions here.
 */
export function auditControls(page: Page, selector: string, screen: Screen, insets: Insets): Promise<ControlAudit> {
  return page.evaluate(
    ({ selector, screen, insets, min }) => {
      const CONTROLS =
        'button, input:not([type="hidden"]), select, textarea, summary, a[href], [role="button"], [role="switch"]';
      const root = document.querySelector(selector);
      if (!root) throw new Error(`no ${selector} on the page`);
      const found: Element[] = [];
      const walk = (node: Element | ShadowRoot) => {
        for (const el of node.querySelectorAll('*')) {
          if (el.matches(CONTROLS)) found.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(root);
      if (root.shadowRoot) walk(root.shadowRoot);

      // The box an element is drawn in: its slot when slotted, else its parent, else its shadow root's host.
      const flatParent = (el: Element): Element | null => {
        if (el.assignedSlot) return el.assignedSlot;
        if (el.parentElement) return el.parentElement;
        const parent = el.parentNode;
        return parent instanceof ShadowRoot ? parent.host : null;
      };
      type Box = { left: number; top: number; right: number; bottom: number };
      const box = (r: DOMRect): Box => ({ left: r.left, top: r.top, right: r.right, bottom: r.bottom });
      // What of the element its scrolling (or clipping) ancestors let show.
      const shown = (el: Element): Box => {
        const v = box(el.getBoundingClientRect());
        for (let a = flatParent(el); a; a = flatParent(a)) {
          const style = getComputedStyle(a);
          if (style.display === 'contents') continue;
          const r = a.getBoundingClientRect();
          if (style.overflowX !== 'visible') {
            v.left = Math.max(v.left, r.left);
            v.right = Math.min(v.right, r.right);
          }
          if (style.overflowY !== 'visible') {
            v.top = Math.max(v.top, r.top);
            v.bottom = Math.min(v.bottom, r.bottom);
          }
          // A fixed box is drawn over the page: what scrolls around it does not clip it.
          if (style.position === 'fixed') break;
        }
        return v;
      };
      // The element at a point, through the shadow roots it is in.
      const deepAt = (x: number, y: number): Element | null => {
        let hit = document.elementFromPoint(x, y);
        while (hit?.shadowRoot) {
          const inner = hit.shadowRoot.elementFromPoint(x, y);
          if (!inner || inner === hit) break;
          hit = inner;
        }
        return hit;
      };
      // Inside, through shadow roots: the hit is the control, within it, or within its shadow root.
      const within = (control: Element, hit: Element | null): boolean => {
        for (let n: Element | null = hit; n; n = flatParent(n)) if (n === control) return true;
        return false;
      };
      const describe = (el: Element) => {
        const part = el.getAttribute('part');
        const label = (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
        return `<${el.localName}${part ? ` part="${part}"` : ''}>${label ? ` "${label.slice(0, 40)}"` : ''}`;
      };

      const area = {
        left: insets.left,
        top: insets.top,
        right: screen.width - insets.right,
        bottom: screen.height - insets.bottom,
      };
      const problems: string[] = [];
      const controls: { name: string; visible: boolean }[] = [];
      const checked: { el: Element; name: string; v: Box }[] = [];
      for (const el of found) {
        const name = describe(el);
        const r = el.getBoundingClientRect();
        const v = shown(el);
        const visible =
          el.checkVisibility({ checkVisibilityCSS: true }) &&
          r.width > 0 &&
          r.height > 0 &&
          v.right - v.left > 0.5 &&
          v.bottom - v.top > 0.5;
        controls.push({ name, visible });
        if (!visible) continue;
        checked.push({ el, name, v });
        const at = (b: Box) =>
          `[${Math.round(b.left)},${Math.round(b.top)} → ${Math.round(b.right)},${Math.round(b.bottom)}]`;
        if (
          v.left < area.left - 0.5 ||
          v.top < area.top - 0.5 ||
          v.right > area.right + 0.5 ||
          v.bottom > area.bottom + 0.5
        )
          problems.push(`${name} ${at(v)} is outside the safe area ${at(area)}`);
        if (r.width < min - 0.5 || r.height < min - 0.5)
          problems.push(`${name} is ${r.width.toFixed(1)}×${r.height.toFixed(1)} px, under ${min}×${min}`);
        const cx = (Math.max(v.left, 0) + Math.min(v.right, screen.width)) / 2;
        const cy = (Math.max(v.top, 0) + Math.min(v.bottom, screen.height)) / 2;
        const hit = deepAt(cx, cy);
        if (!within(el, hit)) problems.push(`${name} is covered at its centre by ${hit ? describe(hit) : 'nothing'}`);
      }
      for (let i = 0; i < checked.length; i++)
        for (let j = i + 1; j < checked.length; j++) {
          const a = checked[i]!;
          const b = checked[j]!;
          if (within(a.el, b.el) || within(b.el, a.el)) continue;
          const w = Math.min(a.v.right, b.v.right) - Math.max(a.v.left, b.v.left);
          const h = Math.min(a.v.bottom, b.v.bottom) - Math.max(a.v.top, b.v.top);
          if (w > 0.5 && h > 0.5) problems.push(`${a.name} and ${b.name} overlap (${w.toFixed(1)}×${h.toFixed(1)} px)`);
        }
      return {
        controls,
        problems,
        scrollWidth: document.documentElement.scrollWidth,
        viewportWidth: screen.width,
      };
    },
    { selector, screen, insets, min: MIN_TARGET },
  );
}

/** esbuild (the tests' TypeScript transform) names functions with a `__name` helper the page lacks. */
export async function installNameShim(page: Page): Promise<void> {
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
}
