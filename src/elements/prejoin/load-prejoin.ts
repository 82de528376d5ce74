/** <oovoo-prejoin>, defined on first use (the script-tag build swaps in load-prejoin-script.ts). */
export function loadPrejoin(): Promise<unknown> {
  return import('./prejoin.js');
}
