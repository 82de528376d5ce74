import { DEFAULT_PUSH_HOSTS, type PushOptions } from './push-options.js';
import { PushHostAllowlist } from './push-hosts.js';

/** `oovoo-server start` flags for push targets and limits (spread into the CLI's parseArgs options). */
export const PUSH_CLI_OPTIONS = {
  'push-allow-host': { type: 'string', multiple: true },
  'push-max-in-flight': { type: 'string' },
  'push-per-recipient-per-minute': { type: 'string' },
} as const;

/** Lines of the CLI's usage text. */
export const PUSH_CLI_USAGE_START = `                     [--push-allow-host HOST[:PORT] ...] [--push-max-in-flight 32] [--push-per-recipient-per-minute 20]`;
export const PUSH_CLI_USAGE_NOTES = `Push: Web Push endpoints must be on a known push service, port 443:
${DEFAULT_PUSH_HOSTS.join(', ')}.
--push-allow-host adds one (host or *.suffix, either with :port; also $OOVOO_PUSH_ALLOW_HOSTS, comma-separated).
Pushes never go to private, loopback or link-local addresses.
--push-max-in-flight bounds pushes sent at once ($OOVOO_PUSH_MAX_IN_FLIGHT); --push-per-recipient-per-minute bounds
pushes to one user ($OOVOO_PUSH_PER_RECIPIENT_PER_MINUTE).`;

type Values = {
  readonly 'push-allow-host'?: readonly string[];
  readonly 'push-max-in-flight'?: string;
  readonly 'push-per-recipient-per-minute'?: string;
};

function wholeNumber(
  raw: string | undefined,
  flag: string,
  min: number,
  max: number,
  usageError: (message: string) => Error,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw usageError(`--${flag} must be an integer from ${min} to ${max}`);
  return n;
}

/** The push options the start flags (or their environment variables) give; what is absent keeps its default. */
export function pushOptionsFromCli(
  values: Values,
  usageError: (message: string) => Error,
  env: NodeJS.ProcessEnv = process.env,
): PushOptions {
  const options: PushOptions = {};
  const extra =
    values['push-allow-host'] ??
    (env.OOVOO_PUSH_ALLOW_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean);
  if (extra.length > 0) {
    try {
      new PushHostAllowlist(extra);
    } catch (e) {
      throw usageError(`--push-allow-host: ${(e as Error).message}`);
    }
    options.allowedHosts = [...DEFAULT_PUSH_HOSTS, ...extra];
  }
  const inFlight = wholeNumber(
    values['push-max-in-flight'] ?? env.OOVOO_PUSH_MAX_IN_FLIGHT,
    'push-max-in-flight',
    1,
    10_000,
    usageError,
  );
  if (inFlight !== undefined) options.maxInFlight = inFlight;
  const perMinute = wholeNumber(
    values['push-per-recipient-per-minute'] ?? env.OOVOO_PUSH_PER_RECIPIENT_PER_MINUTE,
    'push-per-recipient-per-minute',
    1,
    10_000,
    usageError,
  );
  if (perMinute !== undefined) options.perRecipientPerMinute = perMinute;
  return options;
}
