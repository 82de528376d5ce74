/**
 * The client-side logins' work, loaded on first use (load-login-extras.ts): the spec's redirect and
 * popup login (a form posted to the server), the direct login (our addition: a CORS request), and
 * asking the server why it refused a socket. A page that connects with a session token from its
 * own backend never loads it. The script-tag build makes it dist/oovoo-login.min.js.
 */
import { ApiPaths } from '../protocol/constants.js';
import { isErrorInfo, type ErrorInfo } from '../protocol/errors.js';
import { OoVooError } from './errors.js';

/** A login's checked parameters (client.ts checks them before this code loads). */
export interface CheckedLogin {
  readonly token: string;
  readonly userId: string;
  readonly isSandbox: boolean;
  readonly callbackUrl: string;
}

/** Posts the login form into the window `target` ('_self': this page navigates); the token never sits in a URL. */
export function postLoginForm(server: string, checked: CheckedLogin, target: string): void {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = server + ApiPaths.clientLogin;
  form.target = target;
  form.style.display = 'none';
  const fields: Record<string, string> = {
    token: checked.token,
    userId: checked.userId,
    isSandbox: String(checked.isSandbox),
    callbackUrl: checked.callbackUrl,
  };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  // The spec's sample calls authorization from <head>, before <body> exists.
  (document.body ?? document.documentElement).appendChild(form);
  form.submit();
  // Removed later, not at once: the submission must be under way first.
  setTimeout(() => form.remove(), 1000);
}

/** The direct login: the web token exchanged for a session token by a CORS request the server answers only for permitted origins. */
export async function fetchSessionToken(server: string, checked: CheckedLogin): Promise<{ token: string }> {
  let response: Response;
  const url = server + ApiPaths.directLogin;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ token: checked.token, userId: checked.userId, isSandbox: checked.isSandbox }),
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw OoVooError.unspecified(`Could not reach the server at ${server}.`);
  }
  const data = (await response.json().catch(() => undefined)) as
    { payload?: { token?: unknown }; error?: unknown } | undefined;
  if (response.ok && typeof data?.payload?.token === 'string') return { token: data.payload.token };
  if (isErrorInfo(data?.error)) throw OoVooError.fromInfo(data.error);
  // Often the page's own web server: the SDK was told no server, or the wrong one.
  throw OoVooError.unspecified(
    `Login failed: ${url} answered HTTP ${response.status}; is the ooVoo server there? (ooVooClient.configure({ server }))`,
  );
}

/** Asks the server why it refused a socket; undefined when it says nothing usable (or can't be reached: rejects). */
export async function explainRefusal(
  server: string,
  body: { token: string; userId: string; appId: string | undefined },
): Promise<ErrorInfo | undefined> {
  const response = await fetch(server + ApiPaths.sessionVerify, {
    method: 'POST',
    // text/plain keeps this a simple CORS request: no preflight.
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ token: body.token, userId: body.userId, ...(body.appId ? { appId: body.appId } : {}) }),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (response.ok) return undefined;
  const data = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
  return data && isErrorInfo(data.error) ? data.error : undefined;
}
