/** The client-side logins' work (login-extras.ts): the redirect and popup form, the direct login, a refusal's reason. */
export type LoginExtras = typeof import('./login-extras.js');

let loading: Promise<LoginExtras> | undefined;

/**
 * Loads the login extras once, on first use (ES module build: a lazy import, so bundlers split it
 * off). The script-tag build swaps this module for load-login-extras-script.ts. A failed load is
 * tried again on the next use.
 */
export function loadLoginExtras(): Promise<LoginExtras> {
  return (loading ??= import('./login-extras.js').catch((e: unknown) => {
    loading = undefined;
    throw e;
  }));
}
