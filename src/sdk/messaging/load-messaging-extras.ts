/** The messaging extras (messaging-extras.ts): the inbox, sends and receipts, and Web Push. */
export type MessagingExtras = typeof import('./messaging-extras.js');

let loading: Promise<MessagingExtras> | undefined;

/**
 * Loads the messaging extras once, on first use (ES module build: a lazy import, so bundlers split
 * it off). The script-tag build swaps this module for load-messaging-extras-script.ts. A failed load
 * is tried again on the next use.
 */
export function loadMessagingExtras(): Promise<MessagingExtras> {
  return (loading ??= import('./messaging-extras.js').catch((e: unknown) => {
    loading = undefined;
    throw e;
  }));
}
