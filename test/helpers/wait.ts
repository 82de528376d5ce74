import type { EventEmitter } from 'node:events';

/**
 * Waiting on conditions and events in the node tests (test/server, test/e2e), always with a deadline
 * and a failure that says what was awaited. (The browser tests have their own in test/browser/helpers.ts.)
 */

export interface WaitOptions {
  /** What is awaited, named in the failure: "timed out after 15000 ms waiting for <what>". */
  what: string;
  /** The deadline; a bound on failure, not a speed target (a busy 2-core machine is slow). Default 15 s. */
  timeoutMs?: number;
  /** How often a condition is read again. Default 20 ms; 0 reads it after every turn of the event loop. */
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_INTERVAL_MS = 20;

/** A value as it is shown in a failure, cut short. */
function shown(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // circular or otherwise not JSON
  }
  text ??= String(value);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * Reads `read` again and again until `ok` holds of what it returned (without `ok`: until it is
 * truthy), and resolves with that value. Fails after the deadline with `what` and the last value
 * read. An error thrown by `read` ends the wait at once (a process that exited, a page that closed).
 */
export function waitFor<T>(read: () => T | Promise<T>, options: WaitOptions): Promise<T>;
export function waitFor<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, options: WaitOptions): Promise<T>;
export async function waitFor<T>(
  read: () => T | Promise<T>,
  okOrOptions: ((value: T) => boolean) | WaitOptions,
  maybeOptions?: WaitOptions,
): Promise<T> {
  const ok = typeof okOrOptions === 'function' ? okOrOptions : (value: T) => Boolean(value);
  const options = typeof okOrOptions === 'function' ? maybeOptions! : okOrOptions;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what}; last value: ${shown(value)}`);
    const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    await new Promise((resolve) => (intervalMs === 0 ? setImmediate(resolve) : setTimeout(resolve, intervalMs)));
  }
}

/** Resolves as `promise` does, or fails after the deadline naming `what`. */
export function withDeadline<T>(promise: Promise<T>, options: Omit<WaitOptions, 'intervalMs'>): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${options.what} within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The arguments of the next `event` that `emitter` emits (and that `filter`, when given, accepts);
 * fails after the deadline naming `what`. Listen before doing what makes the event happen.
 */
export function waitForEvent(
  emitter: EventEmitter,
  event: string,
  options: Omit<WaitOptions, 'intervalMs'> & { filter?: (...args: any[]) => boolean },
): Promise<any[]> {
  let listener: ((...args: any[]) => void) | undefined;
  const seen = new Promise<any[]>((resolve) => {
    listener = (...args: any[]) => {
      if (options.filter && !options.filter(...args)) return;
      emitter.off(event, listener!);
      resolve(args);
    };
    emitter.on(event, listener);
  });
  return withDeadline(seen, options).finally(() => emitter.off(event, listener!));
}
