// The URLs of <oovoo-login>'s redirect and popup flows: where the sign-in returns to, and the token
// taken from the address when it comes back.

export const POPUP_WINDOW = 'oovoo-login-popup';
export const POPUP_MESSAGE = 'oovoo-login-popup';
const POPUP_FLAG = 'oovoo_popup';

export function callbackUrl(userId: string, popup = false): string {
  const url = new URL(location.href);
  url.hash = '';
  url.searchParams.delete('t');
  url.searchParams.set('pid', userId);
  if (popup) url.searchParams.set(POPUP_FLAG, '1');
  return url.href;
}

/**
 * After the redirect flow the page's URL carries `t` and `pid`: take them, and clean the address
 * bar. In the popup, hand them to the opener (same origin only) and close.
 */
export function takeTokenFromUrl(): { userId: string; token: string } | 'handed-to-opener' | undefined {
  if (typeof location === 'undefined') return undefined;
  const url = new URL(location.href);
  const token = url.searchParams.get('t');
  const userId = url.searchParams.get('pid');
  if (!token || !userId) return undefined;
  const inPopup = url.searchParams.get(POPUP_FLAG) === '1';
  url.searchParams.delete('t');
  url.searchParams.delete('pid');
  url.searchParams.delete(POPUP_FLAG);
  history.replaceState(history.state, '', url.href);
  if (inPopup && window.opener && window.name === POPUP_WINDOW) {
    (window.opener as Window).postMessage({ type: POPUP_MESSAGE, token, userId }, location.origin);
    window.close();
    return 'handed-to-opener';
  }
  return { userId, token };
}
