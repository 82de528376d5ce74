import type { OoVooClient } from '../../sdk/client.js';
import { POPUP_MESSAGE, POPUP_WINDOW, callbackUrl } from './login-url.js';

export interface LoginPopupOptions {
  readonly client: OoVooClient;
  readonly appToken: string;
  readonly sandbox: boolean;
  readonly userId: string;
  /** The popup came back with a session token. */
  onToken(userId: string, token: string): void;
  /** The sign-in could not start (its `{ error }` result), or the browser blocked the window. */
  onFailure(result: object | undefined): void;
}

/**
 * <oovoo-login mode="popup"> (with the extras, loaded when that mode signs in): the spec's login in
 * a window of its own, whose page hands the session token back here. Returns what stops listening.
 */
export function openLoginPopup(options: LoginPopupOptions): () => void {
  const popup = window.open('about:blank', POPUP_WINDOW, 'popup,width=480,height=640');
  if (!popup) {
    options.onFailure(undefined);
    return () => undefined;
  }
  const listener = (event: MessageEvent) => {
    // Only our own origin, only the popup we opened, only our message.
    if (event.origin !== location.origin || event.source !== popup) return;
    const data = event.data as { type?: unknown; token?: unknown; userId?: unknown } | null;
    if (data?.type !== POPUP_MESSAGE || typeof data.token !== 'string' || typeof data.userId !== 'string') return;
    stop();
    options.onToken(data.userId, data.token);
  };
  const stop = () => window.removeEventListener('message', listener);
  window.addEventListener('message', listener);
  const { client, appToken, sandbox, userId } = options;
  client.authorizationIn(
    POPUP_WINDOW,
    { token: appToken, isSandbox: sandbox, userId, callbackUrl: callbackUrl(userId, true) },
    (result) => options.onFailure(result),
  );
  return stop;
}
