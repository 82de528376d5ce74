import type { ClientLoginPolicy, Environment, TokenType } from '../../protocol/index.js';
import type { AccessChangeStore } from './access-changes.js';
import type { ConferenceUsageStore } from './conference-usage.js';
import type { ConversationStore } from './conversation-store.js';
import type { FileStore } from './file-store.js';
import type { FileBytes } from '../files/file-bytes.js';
import type { HistoryStore } from './history-store.js';
import type { MessagingStore, PushStore } from './messaging-types.js';
import type { PortalStore } from './portal-store.js';
import type { PushCredentialStore } from './push-credential-store.js';

export interface AppRecord {
  readonly id: string;
  readonly name: string;
  /** Permitted domains: `host` (every port) or `host:port`, lower case. */
  readonly domains: readonly string[];
  readonly blocked: boolean;
  readonly clientLogin: ClientLoginPolicy;
  readonly createdAt: number;
  /** Days an undelivered message entry is kept; absent: the server's default (messaging options). */
  readonly messageTtlDays?: number;
  /** Days its conversation history is kept (0: none); absent: 30, the default. */
  readonly historyDays?: number;
  /** Largest file a user may upload, in bytes; absent: FileLimits.defaultMaxBytes. */
  readonly fileMaxBytes?: number;
  /** Bytes of files one user may keep; absent: FileLimits.defaultUserQuotaBytes. */
  readonly fileQuotaBytes?: number;
}

export interface AppTokenRecord {
  readonly id: string;
  readonly appId: string;
  readonly type: TokenType;
  readonly environment: Environment;
  /** SHA-256 of the whole token, hex. The token itself is never stored. */
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface AppPatch {
  name?: string;
  domains?: readonly string[];
  blocked?: boolean;
  clientLogin?: ClientLoginPolicy;
  /** null: back to the server's default. */
  messageTtlDays?: number | null;
  historyDays?: number;
  fileMaxBytes?: number;
  fileQuotaBytes?: number;
}

/**
 * Everything the server keeps. Callers see only this interface; the SQLite implementation
 * is the embedded default, and a PostgreSQL one plugs in behind the same methods.
 */
export interface Store {
  readonly apps: {
    create(app: AppRecord): Promise<void>;
    get(id: string): Promise<AppRecord | undefined>;
    list(): Promise<AppRecord[]>;
    count(): Promise<number>;
    /** Returns the updated app, or undefined when there is no such app. */
    update(id: string, patch: AppPatch): Promise<AppRecord | undefined>;
    /** Deletes the app and its tokens; returns false when there was no such app. */
    delete(id: string): Promise<boolean>;
  };
  readonly tokens: {
    create(token: AppTokenRecord): Promise<void>;
    get(id: string): Promise<AppTokenRecord | undefined>;
    listForApp(appId: string): Promise<AppTokenRecord[]>;
    /** Returns false when there was no such live token. */
    revoke(id: string, at: number): Promise<boolean>;
  };
  /**
   * Which apps' access changed (blocked, deleted, a token revoked), written by the methods above in
   * the same transaction as the change, so a running server learns of changes other processes make.
   */
  readonly accessChanges: AccessChangeStore;
  /** Small named values the server keeps for itself (for example generated keys). */
  readonly settings: {
    get(key: string): Promise<string | undefined>;
    /** Sets the value unless one is there already; returns the value now stored. */
    putIfAbsent(key: string, value: string): Promise<string>;
  };
  /** Conference usage per app and day (src/server/store/conference-usage.ts). */
  readonly conferenceUsage: ConferenceUsageStore;
  /** Durable messages, inboxes, receipts and their daily usage. */
  readonly messages: MessagingStore;
  /** Each conversation's history, apart from the inbox (src/server/store/history-store.ts). */
  readonly history: HistoryStore;
  /** The conversations each user is in, with their last message and unread count (src/server/store/conversation-store.ts). */
  readonly conversations: ConversationStore;
  /** Uploaded files of chats (src/server/store/file-store.ts). */
  readonly files: FileStore;
  /** Files' bytes kept in the store itself, used when nodes share it (src/server/store/file-blobs.ts). */
  readonly fileBlobs: FileBytes;
  /** Push subscriptions of users. */
  readonly push: PushStore;
  /** Native push providers' credentials per app (src/server/store/push-credential-store.ts). */
  readonly pushCredentials: PushCredentialStore;
  /** Developer portal accounts, sessions and app owners (src/server/store/portal-store.ts). */
  readonly portal: PortalStore;
  close(): Promise<void>;
}
