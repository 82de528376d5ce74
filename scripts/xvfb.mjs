// A virtual X display (Xvfb) for a browser that needs a screen: headless Firefox has none, so its
// getDisplayMedia finds nothing to capture. Xvfb picks a free display number itself (-displayfd).
import { spawn } from 'node:child_process';
import { ensureSystemCommands } from './system-packages.mjs';

/**
 * Starts Xvfb on a free display. Resolves with its `DISPLAY` value and `stop()`, which ends it (so
 * does this process's exit). Rejects when it does not come up within `timeoutMs`.
 * @returns {Promise<{ display: string, stop: () => void }>}
 */
export function startXvfb({ timeoutMs = 20_000, screen = '1280x1024x24' } = {}) {
  const xvfb = ensureSystemCommands(['Xvfb']).Xvfb;
  // fd 3 receives the display number once the server accepts connections.
  const child = spawn(xvfb, ['-displayfd', '3', '-screen', '0', screen, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const stop = () => {
    process.off('exit', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', stop);
  return new Promise((resolve, reject) => {
    let out = '';
    let errors = '';
    const fail = (why) => {
      clearTimeout(timer);
      stop();
      reject(new Error(`Xvfb did not start: ${why}${errors ? `\n${errors.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no display within ${timeoutMs} ms`), timeoutMs);
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.stdio[3].on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ display: `:${out.trim()}`, stop });
    });
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
  });
}
