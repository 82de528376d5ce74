import { FileLimits, type ClientLoginPolicy, type Environment, type TokenType } from '../protocol/index.js';
import { ApiError } from './api-error.js';
import { appTokenId, appTokenMatches, generateAppId, generateAppToken } from './app-tokens.js';
import { normalizeDomain } from './domains.js';
import { HISTORY_DAYS } from './store/history-store.js';
import type { AppRecord, AppTokenRecord, Store } from './store/types.js';

export const TOKEN_TYPES: readonly TokenType[] = ['web', 'native'];
export const ENVIRONMENTS: readonly Environment[] = ['sandbox', 'production'];
export const CLIENT_LOGIN_POLICIES: readonly ClientLoginPolicy[] = ['all', 'sandbox', 'none'];
/** Bounds of an app's message TTL, in days. */
export const MESSAGE_TTL_DAYS = { min: 1, max: 3650 } as const;

/** Largest per-user quota of files an app may set (1 TiB): far past any disk, yet a safe integer. */
export const MAX_FILE_QUOTA = 2 ** 40;

/** A token as shown once, at creation. */
export interface IssuedToken {
  readonly id: string;
  readonly token: string;
  readonly type: TokenType;
  readonly environment: Environment;
}

/** Told after an app's access changed in this process (blocked, unblocked, deleted, a token revoked). */
export type AccessChangeListener = (appId: string) => Promise<void>;

/** Apps, their domains and their tokens: the rules, shared by the CLI, the HTTP routes and the portal. */
export class AppService {
  private readonly accessListeners = new Set<AccessChangeListener>();

  constructor(private readonly store: Store) {}

  /**
   * Runs the listener after every access change made through this service, and waits for it, so
   * the server has ended the sessions concerned when the change returns. Changes other processes
   * make reach a running server through the store's access change feed instead. Returns an unsubscribe.
   */
  onAccessChange(listener: AccessChangeListener): () => void {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  }

  private async accessChanged(appId: string): Promise<void> {
    await Promise.all([...this.accessListeners].map((listener) => listener(appId)));
  }

  async create(input: { name: string; domains: readonly string[]; clientLogin?: ClientLoginPolicy }): Promise<{
    app: AppRecord;
    tokens: IssuedToken[];
  }> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw ApiError.badRequest('An app needs a name of 1 to 200 characters.');
    const domains = normalizeDomains(input.domains);
    const clientLogin = input.clientLogin ?? 'all';
    if (!CLIENT_LOGIN_POLICIES.includes(clientLogin)) throw ApiError.badRequest('Unknown client login policy.');
    const app: AppRecord = { id: generateAppId(), name, domains, blocked: false, clientLogin, createdAt: Date.now() };
    await this.store.apps.create(app);
    const tokens: IssuedToken[] = [];
    for (const environment of ENVIRONMENTS) {
      for (const type of TOKEN_TYPES) tokens.push(await this.createToken(app.id, type, environment));
    }
    return { app, tokens };
  }

  async get(appId: string): Promise<AppRecord> {
    const app = await this.store.apps.get(appId);
    if (!app) throw ApiError.noSuchResource(`No app ${appId}.`);
    return app;
  }

  list(): Promise<AppRecord[]> {
    return this.store.apps.list();
  }

  async rename(appId: string, name: string): Promise<AppRecord> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 200) throw ApiError.badRequest('An app needs a name of 1 to 200 characters.');
    await this.get(appId);
    return (await this.store.apps.update(appId, { name: trimmed }))!;
  }

  /** Deletes the app and its tokens; its open sessions end at once (see onAccessChange). */
  async delete(appId: string): Promise<void> {
    if (!(await this.store.apps.delete(appId))) throw ApiError.noSuchResource(`No app ${appId}.`);
    await this.accessChanged(appId);
  }

  async addDomain(appId: string, domain: string): Promise<AppRecord> {
    const app = await this.get(appId);
    const [normalized] = normalizeDomains([domain]);
    if (app.domains.includes(normalized!)) return app;
    return (await this.store.apps.update(appId, { domains: [...app.domains, normalized!] }))!;
  }

  async removeDomain(appId: string, domain: string): Promise<AppRecord> {
    const app = await this.get(appId);
    const [normalized] = normalizeDomains([domain]);
    if (!app.domains.includes(normalized!)) throw ApiError.noSuchResource(`${normalized} is not a domain of ${appId}.`);
    return (await this.store.apps.update(appId, { domains: app.domains.filter((d) => d !== normalized) }))!;
  }

  /** Blocking ends the app's open sessions at once (see onAccessChange). */
  async setBlocked(appId: string, blocked: boolean): Promise<AppRecord> {
    await this.get(appId);
    const updated = (await this.store.apps.update(appId, { blocked }))!;
    await this.accessChanged(appId);
    return updated;
  }

  async setClientLogin(appId: string, clientLogin: ClientLoginPolicy): Promise<AppRecord> {
    if (!CLIENT_LOGIN_POLICIES.includes(clientLogin)) {
      throw ApiError.badRequest(`Client login must be one of ${CLIENT_LOGIN_POLICIES.join(', ')}.`);
    }
    await this.get(appId);
    return (await this.store.apps.update(appId, { clientLogin }))!;
  }

  /** How many days the app's undelivered messages wait for their recipients; null: the server's default. */
  async setMessageTtl(appId: string, days: number | null): Promise<AppRecord> {
    if (days !== null && (!Number.isInteger(days) || days < MESSAGE_TTL_DAYS.min || days > MESSAGE_TTL_DAYS.max)) {
      throw ApiError.badRequest(
        `The message TTL is a whole number of days from ${MESSAGE_TTL_DAYS.min} to ${MESSAGE_TTL_DAYS.max}.`,
      );
    }
    await this.get(appId);
    return (await this.store.apps.update(appId, { messageTtlDays: days }))!;
  }

  /** How many days the app keeps its conversations' history; 0 keeps none (and the sweep empties it). */
  /** The app's largest file and per-user quota of files kept, in bytes (what is absent stays). */
  async setFileLimits(appId: string, limits: { maxBytes?: number; quotaBytes?: number }): Promise<AppRecord> {
    const { maxBytes, quotaBytes } = limits;
    if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > FileLimits.maxMaxBytes))
      throw ApiError.badRequest(`The largest file is a whole number of bytes from 1 to ${FileLimits.maxMaxBytes}.`);
    if (quotaBytes !== undefined && (!Number.isInteger(quotaBytes) || quotaBytes < 0 || quotaBytes > MAX_FILE_QUOTA))
      throw ApiError.badRequest(`The quota of files is a whole number of bytes from 0 to ${MAX_FILE_QUOTA}.`);
    await this.get(appId);
    return (await this.store.apps.update(appId, {
      ...(maxBytes === undefined ? {} : { fileMaxBytes: maxBytes }),
      ...(quotaBytes === undefined ? {} : { fileQuotaBytes: quotaBytes }),
    }))!;
  }

  async setHistoryDays(appId: string, days: number): Promise<AppRecord> {
    if (!Number.isInteger(days) || days < HISTORY_DAYS.min || days > HISTORY_DAYS.max) {
      throw ApiError.badRequest(
        `The history retention is a whole number of days from ${HISTORY_DAYS.min} (keep none) to ${HISTORY_DAYS.max}.`,
      );
    }
    await this.get(appId);
    return (await this.store.apps.update(appId, { historyDays: days }))!;
  }

  async createToken(appId: string, type: TokenType, environment: Environment): Promise<IssuedToken> {
    if (!TOKEN_TYPES.includes(type)) throw ApiError.badRequest('Token type must be web or native.');
    if (!ENVIRONMENTS.includes(environment)) throw ApiError.badRequest('Environment must be sandbox or production.');
    await this.get(appId);
    const generated = generateAppToken();
    await this.store.tokens.create({
      id: generated.id,
      appId,
      type,
      environment,
      hash: generated.hash,
      createdAt: Date.now(),
      revokedAt: null,
    });
    return { id: generated.id, token: generated.token, type, environment };
  }

  /** Revokes by token id or by the token itself; the sessions it issued end at once (see onAccessChange). */
  async revokeToken(appId: string, idOrToken: string): Promise<void> {
    const id = appTokenId(idOrToken) ?? idOrToken;
    const record = await this.store.tokens.get(id);
    if (!record || record.appId !== appId) throw ApiError.noSuchResource('No such token for this app.');
    if (!(await this.store.tokens.revoke(id, Date.now())))
      throw ApiError.noSuchResource('The token is already revoked.');
    await this.accessChanged(appId);
  }

  listTokens(appId: string): Promise<AppTokenRecord[]> {
    return this.store.tokens.listForApp(appId);
  }

  /**
   * Finds the app of a presented app token. Unknown, malformed and revoked tokens fail alike
   * (AuthenticationFailed); a blocked app fails with BlockedAppId.
   */
  async authenticate(token: unknown): Promise<{ app: AppRecord; token: AppTokenRecord }> {
    const id = typeof token === 'string' ? appTokenId(token) : undefined;
    const record = id ? await this.store.tokens.get(id) : undefined;
    if (!record || record.revokedAt !== null || !appTokenMatches(token as string, record.hash)) {
      throw ApiError.authenticationFailed('The app token is not valid.');
    }
    const app = await this.store.apps.get(record.appId);
    if (!app) throw ApiError.authenticationFailed('The app token is not valid.');
    if (app.blocked) throw ApiError.blockedApp();
    return { app, token: record };
  }
}

function normalizeDomains(input: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of input) {
    let normalized: string;
    try {
      normalized = normalizeDomain(d.trim().toLowerCase());
    } catch (e) {
      throw ApiError.badRequest((e as Error).message);
    }
    if (!out.includes(normalized)) out.push(normalized);
  }
  return out;
}
