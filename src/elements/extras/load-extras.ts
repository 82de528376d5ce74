/** The elements' extras, loaded once on first use (the script-tag build swaps in load-extras-script.ts). */
export type Extras = typeof import('./extras.js');

let loading: Promise<Extras> | undefined;

export function loadExtras(): Promise<Extras> {
  return (loading ??= import('./extras.js'));
}
