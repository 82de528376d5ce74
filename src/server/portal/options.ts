import type { Mailer } from './mailer.js';

/** A token bucket: `burst` at once, refilled at `perSecond`. */
export interface PortalRate {
  burst: number;
  perSecond: number;
}

export interface PortalOptions {
  /** Where verification and reset mail goes; default: SMTP when $OOVOO_SMTP_URL is set, else the server log. */
  mailer?: Mailer;
  /**
   * The server's public origin (behind a proxy), e.g. https://chat.example.com: links in mail and the
   * Origin check use it. createServer sets it from `ServerOptions.publicUrl`. Without it, mail links
   * use the listening address, never the request's Host header.
   */
  publicUrl?: string;
  /** Every sign-in, sign-up and password change, per address. */
  signInRate?: PortalRate;
  /** Failed sign-ins, per email and address. */
  failedSignInRate?: PortalRate;
  /** Password reset requests per address (default 10 at once, then 10 an hour). */
  passwordResetRate?: PortalRate;
  /** Password reset requests per email address, whether or not an account has it (default 3 at once, then 3 an hour). */
  passwordResetMailRate?: PortalRate;
  /** How long a verification link works (default 48 hours); after that a new sign-up may take an unverified address. */
  verificationTtlMs?: number;
  /** How long a password reset link works (default 1 hour). */
  passwordResetTtlMs?: number;
  /** The clock of accounts, links and the portal's rate limits; default Date.now (tests move it). */
  now?: () => number;
  /** The built portal script; defaults to dist/portal/portal.js of this package. */
  scriptFile?: string;
}

/** Refuses impossible settings up front, naming the option, rather than failing on the first request. */
export function checkPortalOptions(options: PortalOptions): void {
  for (const name of ['verificationTtlMs', 'passwordResetTtlMs'] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      throw new Error(`portal.${name} must be a positive integer (milliseconds)`);
  }
  for (const name of ['signInRate', 'failedSignInRate', 'passwordResetRate', 'passwordResetMailRate'] as const) {
    const rate = options[name];
    if (rate !== undefined && !(rate.burst >= 1 && rate.perSecond > 0))
      throw new Error(`portal.${name} needs burst >= 1 and perSecond > 0`);
  }
}
