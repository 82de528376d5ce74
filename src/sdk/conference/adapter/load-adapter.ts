import { needsWebrtcAdapter } from './needs-adapter.js';

/**
 * Loads webrtc-adapter once, only in browsers that need it, before the first capture (ES module
 * build: a lazy import, so bundlers split it off). The script-tag build swaps this module for
 * load-adapter-script.ts (rollup.config.mjs). Never rejects: without the shims the conference still runs.
 */
let loading: Promise<void> | undefined;

export function loadWebrtcAdapter(): Promise<void> {
  return (loading ??= needsWebrtcAdapter()
    ? import('webrtc-adapter').then(
        () => undefined,
        () => undefined,
      )
    : Promise.resolve());
}
