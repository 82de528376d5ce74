export { createServer, packageRoot, type ServerOptions, type RunningServer } from './server.js';
export { AppService, type IssuedToken } from './apps.js';
export { SessionTokens, type SessionClaims } from './session-tokens.js';
export { KyselyStore } from './store/kysely-store.js';
export { openSqliteStore } from './store/sqlite.js';
export { openPostgresStore } from './store/postgres.js';
export type { Store, AppRecord, AppTokenRecord } from './store/types.js';
