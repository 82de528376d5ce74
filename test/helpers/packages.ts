import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The published packages in tests (test/package): written by scripts/pack-packages.mjs from the build,
 * installed into fresh folders, and programs run in those folders.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * This environment without npm's own variables: under `npm test` they name this project (its prefix,
 * its package), and an install in another folder must see only that folder.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, ...extra };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** How long it took, in milliseconds. */
  ms: number;
}

/**
 * Runs a program to its end and resolves with its output (whatever its exit code); past the deadline it is
 * stopped (its whole process group: npm starts children) and the promise fails naming `what`.
 */
export function runProgram(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; what: string; env?: NodeJS.ProcessEnv },
): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new Error(`${options.what}: not done within ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Writes both packages under outDir (and with `pack`, their tarballs); returns the folders or the tarballs. */
export async function writePackages(
  outDir: string,
  pack: boolean,
): Promise<Record<'oovoo-elements' | 'oovoo-server', string>> {
  const ran = await runProgram(
    process.execPath,
    [join(ROOT, 'scripts', 'pack-packages.mjs'), '--out', outDir, ...(pack ? ['--pack'] : [])],
    { cwd: ROOT, timeoutMs: 180_000, what: 'scripts/pack-packages.mjs' },
  );
  if (ran.code !== 0) throw new Error(`scripts/pack-packages.mjs failed (${ran.code}):\n${ran.stderr}`);
  if (pack) return JSON.parse(ran.stdout.trim().split('\n').at(-1)!);
  const [elements, server] = ran.stdout.trim().split('\n');
  return { 'oovoo-elements': elements!, 'oovoo-server': server! };
}

/**
 * A project folder for type checks that uses this checkout's installed packages (the pinned frameworks and
 * their checkers) and a copy of the written oovoo-elements package, as an install would place it.
 */
export function projectWithElements(dir: string, elementsFolder: string): string {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name.startsWith('.') || name === 'oovoo-elements') continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  cpSync(elementsFolder, join(modules, 'oovoo-elements'), { recursive: true });
  return dir;
}
