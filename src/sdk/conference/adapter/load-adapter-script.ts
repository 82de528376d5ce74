import { ChunkFiles } from '../../../protocol/constants.js';
import { loadScriptChunk } from '../../script-chunk.js';
import { needsWebrtcAdapter } from './needs-adapter.js';

/** A script that neither loads nor fails (a stalled network) must not hold capture forever. */
const LOAD_TIMEOUT_MS = 10_000;

/**
 * The script-tag build's loader (stands in for load-adapter.ts): adds oovoo-adapter.min.js from
 * where the SDK script came (/oovoo-adapter.min.js, or /webrtc/oovoo-adapter.min.js for the spec's
 * path), once, only in browsers that need it. Never rejects: without the shims the conference still runs.
 */
let loading: Promise<void> | undefined;

export function loadWebrtcAdapter(): Promise<void> {
  return (loading ??=
    needsWebrtcAdapter() && typeof document !== 'undefined'
      ? Promise.race([
          loadScriptChunk(ChunkFiles.adapter, {}).catch(() => undefined),
          new Promise<void>((resolve) => setTimeout(resolve, LOAD_TIMEOUT_MS)),
        ])
      : Promise.resolve());
}
