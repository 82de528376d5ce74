/** The call extras (call-extras.ts): SFU topology, stats readers, the monitor's readings, host controls, a share's start. */
export type CallExtras = typeof import('./call-extras.js');

let loading: Promise<CallExtras> | undefined;
/** The extras once loaded, for code that must not wait (a topology made while frames arrive). */
export let callExtras: CallExtras | undefined;

/**
 * Loads the media extras once, on first use (ES module build: a lazy import, so bundlers split it
 * off). The script-tag build swaps this module for load-call-extras-script.ts. A failed load is
 * tried again on the next use.
 */
export function loadCallExtras(): Promise<CallExtras> {
  return (loading ??= import('./call-extras.js').then(
    (extras) => (callExtras = extras),
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  ));
}
