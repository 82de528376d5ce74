import type { AccessChangesTable } from './access-changes.js';
import type { UsageConferenceDailyTable } from './conference-usage.js';
import type { ConversationTables } from './conversation-members.js';
import type { FileTables } from './file-store.js';
import type { HistoryTables } from './history-store.js';
import type { InboxStorageTables } from './inbox-storage.js';
import type { MessagingTables } from './messaging-types.js';
import type { PortalTables } from './portal-store.js';
import type { PushCredentialsTable } from './push-credential-store.js';

/** Table shapes as Kysely sees them. Times are milliseconds since the epoch. */
export interface Database
  extends MessagingTables, PortalTables, InboxStorageTables, HistoryTables, ConversationTables, FileTables {
  usage_conference_daily: UsageConferenceDailyTable;
  access_changes: AccessChangesTable;
  push_credentials: PushCredentialsTable;
  apps: {
    id: string;
    name: string;
    /** JSON array of permitted domains. */
    domains: string;
    blocked: number;
    client_login: string;
    created_at: number;
    /** Days an undelivered message entry is kept; null: the server's default. */
    message_ttl_days: number | null;
    /** Days the app's conversation history is kept; 0 keeps none (history-store.ts). */
    history_days: number;
    /** Largest file a user may upload; per-user bytes of files kept (file-store.ts). */
    file_max_bytes: number;
    file_quota_bytes: number;
  };
  app_tokens: {
    id: string;
    app_id: string;
    type: string;
    environment: string;
    hash: string;
    created_at: number;
    revoked_at: number | null;
  };
  settings: {
    key: string;
    value: string;
  };
}
