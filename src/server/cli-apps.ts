// `oovoo-server app …` and `oovoo-server token …`: apps and their tokens in the data folder's store.
import { FileLimits, type ClientLoginPolicy, type Environment, type TokenType } from '../protocol/index.js';
import { AppService, type IssuedToken } from './apps.js';
import { dataDir, required, storeUrl, UsageError, type Print, type Values } from './cli-options.js';
import { fileLimitsFromCli, historyDaysFromCli, messageTtlDaysFromCli } from './messaging/storage-cli.js';
import { openStore } from './store/open-store.js';
import type { AppRecord } from './store/types.js';

function appSummary(app: AppRecord) {
  return {
    appId: app.id,
    name: app.name,
    domains: app.domains,
    blocked: app.blocked,
    clientLogin: app.clientLogin,
    ...(app.messageTtlDays === undefined ? {} : { messageTtlDays: app.messageTtlDays }),
    ...(app.historyDays === undefined ? {} : { historyDays: app.historyDays }),
    ...(app.fileMaxBytes === undefined ? {} : { fileMaxBytes: app.fileMaxBytes }),
    ...(app.fileQuotaBytes === undefined ? {} : { fileQuotaBytes: app.fileQuotaBytes }),
  };
}

const mb = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export function tokenLines(tokens: readonly IssuedToken[]): string {
  return tokens.map((t) => `  ${t.type.padEnd(6)} ${t.environment.padEnd(10)} ${t.token}`).join('\n');
}

async function withApps<T>(values: Values, run: (apps: AppService) => Promise<T>): Promise<T> {
  const store = await openStore(dataDir(values), storeUrl(values));
  try {
    return await run(new AppService(store));
  } finally {
    await store.close();
  }
}

export async function appCommand(sub: string | undefined, rest: string[], values: Values, print: Print): Promise<void> {
  const json = values.json === true;
  const out = (data: unknown, text: string) => print(json ? JSON.stringify(data) : text);
  switch (sub) {
    case 'create': {
      const name = required(values, 'name');
      const domains = values.domain ?? [];
      if (domains.length === 0) throw new UsageError('at least one --domain is required');
      const { app, tokens } = await withApps(values, (apps) =>
        apps.create({ name, domains, clientLogin: values['client-login'] as ClientLoginPolicy | undefined }),
      );
      out(
        {
          appId: app.id,
          name: app.name,
          domains: app.domains,
          tokens: tokens.map(({ token, type, environment }) => ({ token, type, environment })),
        },
        `App ID: ${app.id}\nName: ${app.name}\nDomains: ${app.domains.join(', ')}\nTokens (shown once; keep them):\n${tokenLines(tokens)}`,
      );
      return;
    }
    case 'list': {
      const list = await withApps(values, (apps) => apps.list());
      out(
        list.map(appSummary),
        list.length === 0
          ? 'No apps.'
          : list
              .map(
                (a) =>
                  `${a.id}  ${a.name}  [${a.domains.join(', ')}]${a.blocked ? '  BLOCKED' : ''}  client-login=${a.clientLogin}`,
              )
              .join('\n'),
      );
      return;
    }
    case 'domain': {
      const action = rest[0];
      if (action !== 'add' && action !== 'remove') throw new UsageError('app domain takes add or remove');
      const appId = required(values, 'app', rest[1]);
      const domains = values.domain ?? [];
      if (domains.length === 0) throw new UsageError('--domain is required');
      const app = await withApps(values, async (apps) => {
        let updated: AppRecord | undefined;
        for (const d of domains)
          updated = action === 'add' ? await apps.addDomain(appId, d) : await apps.removeDomain(appId, d);
        return updated!;
      });
      out(appSummary(app), `Domains of ${app.id}: ${app.domains.join(', ') || '(none)'}`);
      return;
    }
    case 'block':
    case 'unblock': {
      const appId = required(values, 'app', rest[0]);
      const app = await withApps(values, (apps) => apps.setBlocked(appId, sub === 'block'));
      out(appSummary(app), `${app.id} is ${app.blocked ? 'blocked' : 'not blocked'}`);
      return;
    }
    case 'client-login': {
      const appId = required(values, 'app', rest[0]);
      const policy = required(values, 'policy', rest[1]) as ClientLoginPolicy;
      const app = await withApps(values, (apps) => apps.setClientLogin(appId, policy));
      out(appSummary(app), `Client-side login for ${app.id}: ${app.clientLogin}`);
      return;
    }
    case 'message-ttl': {
      const appId = required(values, 'app', rest[0]);
      const days = messageTtlDaysFromCli(values, (m) => new UsageError(m));
      const app = await withApps(values, (apps) => apps.setMessageTtl(appId, days));
      out(
        appSummary(app),
        `Undelivered messages of ${app.id} wait ${app.messageTtlDays === undefined ? "the server's default" : `${app.messageTtlDays} days`}`,
      );
      return;
    }
    case 'history': {
      const appId = required(values, 'app', rest[0]);
      const days = historyDaysFromCli(values, (m) => new UsageError(m));
      const app = await withApps(values, (apps) => apps.setHistoryDays(appId, days));
      out(
        appSummary(app),
        app.historyDays === 0
          ? `${app.id} keeps no conversation history`
          : `${app.id} keeps conversation history for ${app.historyDays ?? 30} days`,
      );
      return;
    }
    case 'files': {
      const appId = required(values, 'app', rest[0]);
      const limits = fileLimitsFromCli(values, (m) => new UsageError(m));
      const app = await withApps(values, (apps) => apps.setFileLimits(appId, limits));
      const max = app.fileMaxBytes ?? FileLimits.defaultMaxBytes;
      const quota = app.fileQuotaBytes ?? FileLimits.defaultUserQuotaBytes;
      out(appSummary(app), `Chat files of ${app.id}: at most ${mb(max)} each, ${mb(quota)} kept per user`);
      return;
    }
    default:
      throw new UsageError(`unknown app command ${sub ?? '(none)'}`);
  }
}

export async function tokenCommand(
  sub: string | undefined,
  rest: string[],
  values: Values,
  print: Print,
): Promise<void> {
  const json = values.json === true;
  const out = (data: unknown, text: string) => print(json ? JSON.stringify(data) : text);
  const appId = required(values, 'app', rest[0]);
  switch (sub) {
    case 'create': {
      const type = required(values, 'type') as TokenType;
      const env = required(values, 'env') as Environment;
      const t = await withApps(values, (apps) => apps.createToken(appId, type, env));
      out(
        { appId, id: t.id, token: t.token, type: t.type, environment: t.environment },
        `Token (shown once; keep it):\n${tokenLines([t])}`,
      );
      return;
    }
    case 'revoke': {
      const token = required(values, 'token', rest[1]);
      await withApps(values, (apps) => apps.revokeToken(appId, token));
      out({ appId, revoked: true }, 'Token revoked.');
      return;
    }
    case 'list': {
      const list = await withApps(values, (apps) => apps.listTokens(appId));
      const rows = list.map((t) => ({
        id: t.id,
        type: t.type,
        environment: t.environment,
        createdAt: t.createdAt,
        revoked: t.revokedAt !== null,
      }));
      out(
        rows,
        rows
          .map((r) => `${r.id}  ${r.type.padEnd(6)} ${r.environment.padEnd(10)} ${r.revoked ? 'revoked' : 'live'}`)
          .join('\n') || 'No tokens.',
      );
      return;
    }
    default:
      throw new UsageError(`unknown token command ${sub ?? '(none)'}`);
  }
}
