import { Paths } from '../../../protocol/constants.js';
import { sdkScriptUrl } from '../../server-url.js';
import { needsWebrtcAdapter } from './needs-adapter.js';

/** A script that neither loads nor fails (a stalled network) must not hold capture forever. */
const LOAD_TIMEOUT_MS = 10_000;

/**
 * The script-tag build's loader (stands in for load-adapter.ts): adds a <script> for
 * oovoo-adapter.min.js from where the SDK script came, once, only in browsers that need it.
 * Never rejects: without the shims the conference still runs.
 */
let loading: Promise<void> | undefined;

export function loadWebrtcAdapter(): Promise<void> {
  return (loading ??=
    needsWebrtcAdapter() && typeof document !== 'undefined' ? addScript(adapterUrl()) : Promise.resolve());
}

function adapterUrl(): string {
  const base = sdkScriptUrl() ?? (typeof location === 'undefined' ? '' : location.href);
  // Beside the SDK script: /oovoo-adapter.min.js, or /webrtc/oovoo-adapter.min.js for the spec's path.
  return new URL(Paths.adapterScript.slice(1), base).href;
}

function addScript(src: string): Promise<void> {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, LOAD_TIMEOUT_MS);
    script.src = src;
    script.async = true;
    script.crossOrigin = 'anonymous';
    script.addEventListener('load', done, { once: true });
    script.addEventListener('error', done, { once: true });
    document.head.append(script);
  });
}
