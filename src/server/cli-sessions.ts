// `oovoo-server session create`: a session token minted from the data folder, for testing (a host among them).
import { CONFERENCE_ROLES, type ConferenceRole, type Environment } from '../protocol/index.js';
import { AppService, ENVIRONMENTS } from './apps.js';
import { dataDir, intOption, required, storeUrl, UsageError, type Print, type Values } from './cli-options.js';
import { loadSessionSecret, sharedSessionSecret } from './secrets.js';
import { SessionTokens } from './session-tokens.js';
import { openStore } from './store/open-store.js';

export const SESSION_CLI_USAGE = `  oovoo-server session create --app APP_ID --user USER_ID [--role participant|host] [--env sandbox|production]
                             [--session-ttl 3600] [--json]   (a session token for testing, e.g. a host's)`;

/**
 * Signs a session token as the server would after a login: with the data folder's session secret,
 * for a live web token of the app in that environment (revoking it ends the session). Whoever can
 * read the data folder can do this anyway; --session-ttl must not pass the server's own.
 */
export async function sessionCommand(sub: string | undefined, values: Values, print: Print): Promise<void> {
  if (sub !== 'create') throw new UsageError(`unknown session command ${sub ?? '(none)'}`);
  const appId = required(values, 'app');
  const uid = required(values, 'user').trim();
  const role = (values.role ?? 'participant') as ConferenceRole;
  if (!CONFERENCE_ROLES.includes(role)) throw new UsageError('--role must be participant or host');
  const env = (values.env ?? 'sandbox') as Environment;
  if (!ENVIRONMENTS.includes(env)) throw new UsageError('--env must be sandbox or production');
  const ttl = intOption(values['session-ttl'], 'session-ttl', 3600, 60, 30 * 24 * 3600);
  const dir = dataDir(values);
  const url = storeUrl(values);
  // The secret the servers sign with: on PostgreSQL the environment's, shared by every node.
  const secret = url ? sharedSessionSecret() : loadSessionSecret(dir);
  const store = await openStore(dir, url);
  let appToken: string | undefined;
  try {
    const apps = new AppService(store);
    await apps.get(appId);
    // The newest live one (tokens are listed oldest first).
    const live = (await apps.listTokens(appId)).filter(
      (t) => t.type === 'web' && t.environment === env && t.revokedAt === null,
    );
    appToken = live.at(-1)?.id;
  } finally {
    await store.close();
  }
  if (!appToken) throw new UsageError(`the app has no live ${env} web token: make one with oovoo-server token create`);
  const token = await new SessionTokens(secret, ttl).issue({
    app: appId,
    uid,
    env,
    tt: 'web',
    appToken,
    role,
  });
  const expiresAt = Math.floor(Date.now() / 1000) + ttl;
  print(
    values.json === true
      ? JSON.stringify({ appId, userId: uid, role, env, token, expiresAt })
      : `Session token for ${uid} (${role}, ${env}; expires ${new Date(expiresAt * 1000).toISOString()}):\n${token}`,
  );
}
