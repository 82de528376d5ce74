import { FileLimits } from '../../protocol/index.js';
import type { AppRecord, AppTokenRecord } from '../store/types.js';

/** What the API shows of an app; operators also see the owner's email. */
export function appView(app: AppRecord, ownerEmail?: string | null) {
  return {
    id: app.id,
    name: app.name,
    domains: app.domains,
    blocked: app.blocked,
    clientLogin: app.clientLogin,
    // Days undelivered messages wait; null: the server's default.
    messageTtlDays: app.messageTtlDays ?? null,
    // Days conversations' history is kept; 0: none.
    historyDays: app.historyDays ?? 30,
    // The largest chat file and what one user may keep, in bytes.
    fileMaxBytes: app.fileMaxBytes ?? FileLimits.defaultMaxBytes,
    fileQuotaBytes: app.fileQuotaBytes ?? FileLimits.defaultUserQuotaBytes,
    createdAt: new Date(app.createdAt).toISOString(),
    ...(ownerEmail === undefined ? {} : { owner: ownerEmail }),
  };
}

/** A token as listed: never the token itself, which is shown once at creation. */
export function tokenView(t: AppTokenRecord) {
  return {
    id: t.id,
    type: t.type,
    environment: t.environment,
    createdAt: new Date(t.createdAt).toISOString(),
    revokedAt: t.revokedAt === null ? null : new Date(t.revokedAt).toISOString(),
  };
}
