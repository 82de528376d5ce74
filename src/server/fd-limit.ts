import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The process's open-file limit (RLIMIT_NOFILE): every socket costs one. */
export interface FileLimit {
  readonly soft: number;
  readonly hard: number;
}

/** After {@link raiseFileLimit}: the limit now, and what was done to get it. */
export interface FileLimitReport {
  readonly limit: FileLimit | undefined;
  readonly before: FileLimit | undefined;
  readonly how: 'already at the hard limit' | 'raised with prlimit' | 'could not raise' | 'unknown on this system';
}

/** Reads the limit from /proc/self/limits (Linux); undefined elsewhere. */
export function readFileLimit(limitsFile = '/proc/self/limits'): FileLimit | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  const match = line && /^Max open files\s+(\S+)\s+(\S+)/.exec(line);
  if (!match) return undefined;
  const value = (s: string) => (s === 'unlimited' ? Number.POSITIVE_INFINITY : Number(s));
  return { soft: value(match[1]!), hard: value(match[2]!) };
}

/**
 * Raises the soft open-file limit to the hard one where the system allows it. Node has no
 * setrlimit, and Node itself already raises the soft limit to the hard one at start on Linux and
 * macOS, so this mostly confirms; where the soft limit is still lower it asks util-linux's
 * `prlimit` to raise this process's own limit. Raising the hard limit needs the operator
 * (systemd `LimitNOFILE=`, or `ulimit -Hn` as root before start).
 */
export function raiseFileLimit(): FileLimitReport {
  const before = readFileLimit();
  if (!before) return { limit: undefined, before, how: 'unknown on this system' };
  if (before.soft >= before.hard) return { limit: before, before, how: 'already at the hard limit' };
  try {
    const hard = Number.isFinite(before.hard) ? String(before.hard) : 'unlimited';
    execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${hard}:${hard}`], {
      stdio: 'ignore',
      timeout: 2000,
    });
  } catch {
    return { limit: before, before, how: 'could not raise' };
  }
  const after = readFileLimit() ?? before;
  return { limit: after, before, how: after.soft > before.soft ? 'raised with prlimit' : 'could not raise' };
}
