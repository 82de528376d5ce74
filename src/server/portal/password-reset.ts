import { ErrorCode } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { PortalStore } from '../store/portal-store.js';
import { checkPassword } from './accounts.js';
import { describeDuration, hashSecret, looksLikeLinkToken, newSecret } from './link-tokens.js';
import type { Mailer } from './mailer.js';
import { hashPassword } from './passwords.js';

export const PASSWORD_RESET_TTL_MS = 3600 * 1000;

/** Lifetime and clock of reset links. */
export interface PasswordResetSettings {
  /** How long a reset link works (default 1 hour). */
  readonly ttlMs?: number;
  /** The clock (tests move it); default Date.now. */
  readonly now?: () => number;
}

/**
 * Password reset by email. The link carries a single-use token of which only the hash is stored;
 * using it sets the new password, ends every session of the account, and marks its email verified
 * (whoever holds the link reads that mailbox).
 */
export class PasswordResets {
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: PortalStore,
    private readonly mailer: Mailer,
    settings: PasswordResetSettings = {},
  ) {
    this.ttlMs = settings.ttlMs ?? PASSWORD_RESET_TTL_MS;
    this.now = settings.now ?? Date.now;
  }

  /**
   * Mails a reset link when an account has this (normalized) email, else does nothing. The HTTP
   * answer must not wait for this: how long it takes tells whether the account exists.
   */
  async request(email: string, origin: string): Promise<void> {
    const account = await this.store.accounts.getByEmail(email);
    if (!account) return;
    const now = this.now();
    const token = newSecret();
    await this.store.passwordResets.create(hashSecret(token), account.id, now, now + this.ttlMs);
    if (Math.random() < 0.05) void this.store.passwordResets.deleteExpired(now).catch(() => undefined);
    // In the fragment: browsers never send it, so it is in no request line or server log.
    const link = `${origin}/portal#reset=${token}`;
    await this.mailer.send({
      to: account.email,
      subject: 'Reset your password for the oovoo developer portal',
      text:
        `Open this link to choose a new password (valid for ${describeDuration(this.ttlMs)}, once):\n\n${link}\n\n` +
        'If you did not ask for this, ignore this mail: your password stays as it is.',
      link,
      kind: 'password-reset',
    });
  }

  /** Sets the password of the token's account; the token works once and ends every session of that account. */
  async reset(token: string, password: string): Promise<void> {
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    const accountId = looksLikeLinkToken(token)
      ? await this.store.passwordResets.use(hashSecret(token), passwordHash, this.now())
      : undefined;
    if (!accountId)
      throw new ApiError(
        400,
        ErrorCode.InvalidVerificationCode,
        'This reset link is not valid, was used already, or has expired. Ask for a new one.',
      );
  }
}
