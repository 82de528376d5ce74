// `oovoo-server push fcm|apns set|clear` and `push show`: an app's native push credentials in the store.
import { readFileSync } from 'node:fs';
import { AppService } from '../../apps.js';
import { dataDir, required, storeUrl, UsageError, type Print, type Values } from '../../cli-options.js';
import { openStore } from '../../store/open-store.js';
import { NativePushSettings, type NativePushView } from './native-credentials.js';

/** Flags of the push commands (spread into the CLI's parseArgs options). */
export const NATIVE_PUSH_CLI_OPTIONS = {
  'service-account': { type: 'string' },
  key: { type: 'string' },
  'key-id': { type: 'string' },
  'team-id': { type: 'string' },
  'bundle-id': { type: 'string' },
} as const;

export const NATIVE_PUSH_CLI_USAGE = `  oovoo-server push fcm set --app APP_ID --service-account FILE [--json]   (Firebase service-account JSON)
  oovoo-server push apns set --app APP_ID --key FILE.p8 --key-id KEY_ID --team-id TEAM_ID --bundle-id BUNDLE_ID [--json]
  oovoo-server push fcm|apns clear --app APP_ID [--json]
  oovoo-server push show --app APP_ID [--json]   (what is set; private keys are never printed)`;

function flag(values: Values, name: keyof typeof NATIVE_PUSH_CLI_OPTIONS): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function describe(appId: string, view: NativePushView): string {
  const fcm = view.fcm ? `project ${view.fcm.projectId} as ${view.fcm.clientEmail}` : 'not set';
  const apns = view.apns ? `key ${view.apns.keyId}, team ${view.apns.teamId}, topic ${view.apns.bundleId}` : 'not set';
  return `Push for ${appId}:\n  FCM:  ${fcm}\n  APNs: ${apns}`;
}

export async function pushCommand(
  sub: string | undefined,
  rest: string[],
  values: Values,
  print: Print,
): Promise<void> {
  const action = sub === 'show' ? 'show' : rest[0];
  if (sub !== 'show' && sub !== 'fcm' && sub !== 'apns')
    throw new UsageError(`unknown push command ${sub ?? '(none)'}`);
  if (action !== 'show' && action !== 'set' && action !== 'clear')
    throw new UsageError(`push ${sub} takes set or clear`);
  const appId = required(values, 'app', sub === 'show' ? rest[0] : rest[1]);
  // Files are read before the store opens: a wrong path is a usage error with nothing changed.
  const change = (settings: NativePushSettings): Promise<NativePushView> => {
    if (sub === 'show') return settings.view(appId);
    if (action === 'clear') return settings.clear(appId, sub);
    if (sub === 'fcm') return settings.setFcm(appId, serviceAccount!);
    return settings.setApns(appId, apns!);
  };
  const serviceAccount =
    sub === 'fcm' && action === 'set' ? readSecretFile(flag(values, 'service-account'), 'service account') : undefined;
  const apns =
    sub === 'apns' && action === 'set'
      ? {
          key: readSecretFile(flag(values, 'key'), 'key'),
          keyId: flag(values, 'key-id'),
          teamId: flag(values, 'team-id'),
          bundleId: flag(values, 'bundle-id'),
        }
      : undefined;
  const store = await openStore(dataDir(values), storeUrl(values));
  let view: NativePushView;
  try {
    await new AppService(store).get(appId);
    view = await change(new NativePushSettings(store.pushCredentials));
  } finally {
    await store.close();
  }
  print(values.json === true ? JSON.stringify({ appId, push: view }) : describe(appId, view));
}
