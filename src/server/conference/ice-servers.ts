import { createHmac } from 'node:crypto';
import type { IceServerInfo } from '../../protocol/index.js';
import type { ResolvedConferenceOptions } from './options.js';

/**
 * TURN REST API credentials, the form coturn's `use-auth-secret` checks: the username is
 * `<expiry unix seconds>:<uid>` and the password is base64(HMAC-SHA1(secret, username)).
 */
export function turnCredentials(
  secret: string,
  uid: string,
  expiresAtSeconds: number,
): { username: string; credential: string } {
  const username = `${expiresAtSeconds}:${uid}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** The ICE servers one participant gets with its join. */
export function iceServersFor(uid: string, options: ResolvedConferenceOptions, nowMs = Date.now()): IceServerInfo[] {
  const servers: IceServerInfo[] = [];
  if (options.stunUrls.length > 0) servers.push({ urls: [...options.stunUrls] });
  if (options.turnUrls.length > 0 && options.turnSecret) {
    const expires = Math.floor(nowMs / 1000) + options.turnTtlSeconds;
    servers.push({ urls: [...options.turnUrls], ...turnCredentials(options.turnSecret, uid, expires) });
  }
  return servers;
}
