/** What the test-runner's oovoo-server plugin tells the test pages (see web-test-runner.config.mjs). */
export interface TestConfig {
  server: string;
  appId: string;
  otherAppId: string;
  webProduction: string;
  webSandbox: string;
  blockedSessionToken: string;
}

let config: Promise<TestConfig> | undefined;
export function testConfig(): Promise<TestConfig> {
  return (config ??= fetch('/__oovoo/config').then((r) => r.json() as Promise<TestConfig>));
}

/** A session token for `user`, got the way a site's backend gets one (server-to-server login). */
export async function sessionTokenFor(user: string, app: 'main' | 'other' = 'main'): Promise<string> {
  const res = await fetch(`/__oovoo/session?user=${encodeURIComponent(user)}&app=${app}`);
  if (!res.ok) throw new Error(`session for ${user}: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export function uniqueUser(prefix = 'user'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Loads a page in an iframe and resolves with the first message it posts to this window. */
export function messageFromFrame<T>(src: string, timeoutMs = 15000): Promise<{ data: T; frame: HTMLIFrameElement }> {
  return new Promise((resolve, reject) => {
    const frame = document.createElement('iframe');
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(
        new Error(`no message from ${src} within ${timeoutMs} ms (at ${frame.contentWindow ? 'a page' : 'nothing'})`),
      );
    }, timeoutMs);
    function onMessage(event: MessageEvent) {
      if (event.source !== frame.contentWindow) return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve({ data: event.data as T, frame });
    }
    window.addEventListener('message', onMessage);
    frame.src = src;
    document.body.appendChild(frame);
  });
}

/**
 * Waits until `predicate` is truthy, polling, and fails with `message` after `timeout` ms. The
 * default deadline is 10 s, not open-wc's 1 s: on a busy 2-core machine a camera switch or a
 * peer's frame can take seconds, and a deadline is a failure bound, not a speed target.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  message: string,
  options: { timeout?: number; interval?: number } = {},
): Promise<void> {
  const timeout = options.timeout ?? 10_000;
  const interval = options.interval ?? 50;
  const deadline = performance.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (performance.now() > deadline) throw new Error(`Timeout after ${timeout} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
