import { isIP } from 'node:net';
import { ApiError } from '../../api-error.js';
import { forbiddenAddressRange } from './address-check.js';
import type { PushHostAllowlist } from './push-hosts.js';

/**
 * Checks a subscription's endpoint when it is registered: an https URL on an allowed push
 * service and port, with no credentials, and not a non-public IP literal. Throws the spec's
 * BadRequest with what is wrong. Host names are resolved (and checked again) only when pushing.
 */
export function checkSubscriptionEndpoint(
  endpoint: string,
  targets: { allowedHosts: PushHostAllowlist; allowPrivateAddresses: boolean },
): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw ApiError.badRequest('subscription.endpoint must be a URL.');
  }
  if (url.protocol !== 'https:') throw ApiError.badRequest('subscription.endpoint must be an https URL.');
  if (url.username || url.password)
    throw ApiError.badRequest('subscription.endpoint must not carry a user name or password.');
  if (!targets.allowedHosts.allowsUrl(url)) {
    if (targets.allowedHosts.knowsHost(url.hostname)) {
      throw ApiError.badRequest(`subscription.endpoint must use the push service's own port, not ${url.port}.`);
    }
    throw ApiError.badRequest(
      `subscription.endpoint is not on a known push service (${targets.allowedHosts.entries.join(', ')}).`,
    );
  }
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) !== 0 && !targets.allowPrivateAddresses) {
    const range = forbiddenAddressRange(literal);
    if (range) throw ApiError.badRequest(`subscription.endpoint is on a ${range} address.`);
  }
  return url;
}
