import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { AccountRecord, AccountRole, PortalSessionRecord, PortalStore } from '../store/portal-store.js';
import { describeDuration, hashSecret, looksLikeLinkToken, newSecret } from './link-tokens.js';
import type { Mailer } from './mailer.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.js';

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
export const VERIFICATION_TTL_MS = 48 * 3600 * 1000;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

/** What the API shows of an account. */
export interface AccountView {
  readonly id: string;
  readonly email: string;
  readonly role: AccountRole;
  readonly verified: boolean;
}

export function accountView(a: AccountRecord): AccountView {
  return { id: a.id, email: a.email, role: a.role, verified: a.verifiedAt !== null };
}

export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw ApiError.badRequest('Enter a valid email address.');
  return email;
}

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw ApiError.badRequest(`A password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
  }
}

/** A signed-in browser: the account, and the cookie value and CSRF token of its session. */
export interface StartedSession {
  readonly cookie: string;
  readonly session: PortalSessionRecord;
}

/** Lifetimes and the clock of the account rules. */
export interface AccountSettings {
  /** How long a verification link works (default 48 hours); after that, a new sign-up may take the address. */
  readonly verificationTtlMs?: number;
  /** The clock (tests move it); default Date.now. */
  readonly now?: () => number;
}

function emailTaken(): ApiError {
  return new ApiError(409, ErrorCode.EmailNotAvailable, 'An account with this email already exists.');
}

/** Developer accounts: sign-up with email verification, sign-in, sessions. Shared by the HTTP API and the CLI. */
export class AccountService {
  private readonly verificationTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: PortalStore,
    private readonly mailer: Mailer,
    settings: AccountSettings = {},
  ) {
    this.verificationTtlMs = settings.verificationTtlMs ?? VERIFICATION_TTL_MS;
    this.now = settings.now ?? Date.now;
  }

  async create(input: {
    email: string;
    password: string;
    role?: AccountRole;
    verified?: boolean;
  }): Promise<AccountRecord> {
    const account = await this.newAccount(input);
    if (!(await this.store.accounts.create(account))) throw emailTaken();
    return account;
  }

  /**
   * Sign-up: a developer account that must verify its email before it makes apps. An address held
   * by an unverified account whose verification links all expired is taken over: that account (which
   * cannot own apps) is replaced, so a stranger's sign-up does not lock the real owner out.
   */
  async signUp(email: string, password: string, linkBase: string): Promise<AccountRecord> {
    const account = await this.newAccount({ email, password });
    if (!(await this.store.accounts.create(account))) {
      const holder = await this.store.accounts.getByEmail(account.email);
      const replaced =
        holder?.verifiedAt === null && (await this.store.accounts.replaceUnverified(holder.id, account, this.now()));
      if (!replaced) throw emailTaken();
    }
    await this.sendVerification(account, linkBase);
    return account;
  }

  async sendVerification(account: AccountRecord, linkBase: string): Promise<void> {
    if (account.verifiedAt !== null) throw ApiError.badRequest('This email is already verified.');
    const token = newSecret();
    await this.store.verifications.create(hashSecret(token), account.id, this.now() + this.verificationTtlMs);
    const link = `${linkBase}/api/v1/verify?token=${token}`;
    await this.mailer.send({
      to: account.email,
      subject: 'Verify your email for the oovoo developer portal',
      text: `Open this link to verify your email address (valid for ${describeDuration(this.verificationTtlMs)}):\n\n${link}\n\nIf you did not sign up, ignore this mail.`,
      link,
      kind: 'verification',
    });
  }

  async verify(token: string): Promise<AccountRecord> {
    const accountId = looksLikeLinkToken(token)
      ? await this.store.verifications.consume(hashSecret(token), this.now())
      : undefined;
    const account = accountId ? await this.store.accounts.get(accountId) : undefined;
    if (!account)
      throw new ApiError(
        400,
        ErrorCode.InvalidVerificationCode,
        'This verification link is not valid, was used already, or has expired.',
      );
    await this.store.accounts.markVerified(account.id, this.now());
    return (await this.store.accounts.get(account.id))!;
  }

  /** Checks email and password; both wrong cases cost the same time and get the same answer. */
  async signIn(emailInput: string, password: string): Promise<AccountRecord> {
    const email = emailInput.trim().toLowerCase();
    const account = await this.store.accounts.getByEmail(email);
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw ApiError.authenticationFailed('Wrong email or password.');
    return account;
  }

  async startSession(accountId: string): Promise<StartedSession> {
    const cookie = newSecret();
    const now = this.now();
    const session: PortalSessionRecord = {
      idHash: hashSecret(cookie),
      accountId,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
    };
    await this.store.sessions.create(session);
    if (Math.random() < 0.05) void this.store.sessions.deleteExpired(now).catch(() => undefined);
    return { cookie, session };
  }

  /** The live session and account a cookie value names, if any. */
  async session(
    cookie: string | undefined,
  ): Promise<{ account: AccountRecord; session: PortalSessionRecord } | undefined> {
    if (!cookie || cookie.length > 100) return undefined;
    const session = await this.store.sessions.get(hashSecret(cookie), this.now());
    const account = session && (await this.store.accounts.get(session.accountId));
    return account && session ? { account, session } : undefined;
  }

  async endSession(cookie: string): Promise<void> {
    await this.store.sessions.delete(hashSecret(cookie));
  }

  private async newAccount(input: {
    email: string;
    password: string;
    role?: AccountRole;
    verified?: boolean;
  }): Promise<AccountRecord> {
    const email = normalizeEmail(input.email);
    checkPassword(input.password);
    const now = this.now();
    return {
      id: `acc_${randomBytes(12).toString('base64url')}`,
      email,
      passwordHash: await hashPassword(input.password),
      role: input.role ?? 'developer',
      verifiedAt: input.verified ? now : null,
      createdAt: now,
    };
  }
}
