import type { Mailer } from './mailer.js';

export interface PortalOptions {
  /** Where verification mail goes; default: SMTP when $OOVOO_SMTP_URL is set, else the server log. */
  mailer?: Mailer;
  /** The server's public URL (behind a proxy): links in mail and the Origin check use it. */
  publicUrl?: string;
  /** Every sign-in and sign-up, per address. */
  signInRate?: { burst: number; perSecond: number };
  /** Failed sign-ins, per email and address. */
  failedSignInRate?: { burst: number; perSecond: number };
  /** The built portal script; defaults to dist/portal/portal.js of this package. */
  scriptFile?: string;
}
