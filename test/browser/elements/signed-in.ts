import { fixture, html } from '@open-wc/testing';
import type { TemplateResult, nothing } from 'lit';
import '../../../src/elements/login/login.js';
import type { OovooLogin } from '../../../src/elements/login/login.js';
import { sessionTokenFor, testConfig, uniqueUser, waitFor } from '../helpers.js';

export interface SignedIn {
  user: string;
  login: OovooLogin;
}

/**
 * A signed-in <oovoo-login> holding what `inner` renders for its user, with a session token got
 * the way a site's backend gets one. Resolves once the login is connected.
 */
export async function signedInLogin(
  inner: (user: string) => TemplateResult | typeof nothing,
  opts: {
    /** The user; by default a new one named after `prefix`. */
    user?: string;
    prefix?: string;
    hidden?: boolean;
    /** Where the fixture goes (by default a fresh container in the body). */
    parentNode?: Element;
  } = {},
): Promise<SignedIn> {
  const config = await testConfig();
  const user = opts.user ?? uniqueUser(opts.prefix);
  const token = await sessionTokenFor(user);
  const login = await fixture<OovooLogin>(
    html`<oovoo-login server=${config.server} session-token=${token} user-id=${user} ?hidden=${opts.hidden ?? false}
      >${inner(user)}</oovoo-login
    >`,
    opts.parentNode ? { parentNode: opts.parentNode } : {},
  );
  await waitFor(() => login.state === 'connected', `${user} never connected`, { timeout: 15000 });
  return { user, login };
}
