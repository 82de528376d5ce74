// The system programs the test suites start (Chromium, Firefox, coturn's turnserver, Janus, PostgreSQL,
// Redis, and for the WordPress suite PHP, MariaDB, phpunit and WordPress itself), found on this machine or
// installed from Debian's packages. `npm test` calls ensureSystemCommands before its suites, so a fresh
// machine needs nothing installed by hand: as root with apt-get it installs what is missing (one
// `apt-get update`, one `apt-get install`); otherwise it fails saying exactly what to install.
//
// Also a command: `node scripts/system-packages.mjs turnserver chromium` ensures those and prints
// where each is.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

/** An executable file on PATH (or in the sbin folders, which a non-login root shell may lack). */
export function findOnPath(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** $CHROME_PATH, else Debian's /usr/bin/chromium, else Playwright's own. */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  return playwrightChromium();
}

/** Debian keeps the PostgreSQL server off PATH, under its major version. */
function findPostgres() {
  const onPath = findOnPath('postgres');
  if (onPath) return onPath;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const candidate = join(base, version, 'bin', 'postgres');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** $FIREFOX_PATH, else Debian's firefox-esr (or a firefox on PATH). */
export function findFirefox() {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return findOnPath('firefox-esr') ?? findOnPath('firefox');
}

/** PHP's CLI, with the mysqli extension WordPress needs (Debian's php-mysql). */
function findPhp() {
  const php = findOnPath('php');
  if (!php) return undefined;
  const probe = spawnSync(php, ['-r', 'echo extension_loaded("mysqli") ? "yes" : "no";'], { encoding: 'utf8' });
  return probe.stdout === 'yes' ? php : undefined;
}

/** Debian's WordPress: its files, which the WordPress suite copies into a temp folder of its own. */
function findWordPress() {
  const dir = '/usr/share/wordpress';
  return existsSync(join(dir, 'wp-settings.php')) ? dir : undefined;
}

/**
 * Each command a suite may start: the Debian packages that provide it and how to find it.
 * @type {Record<string, { packages: string[], find: () => string | undefined }>}
 */
export const SYSTEM_COMMANDS = {
  chromium: { packages: ['chromium'], find: findChromium },
  firefox: { packages: ['firefox-esr'], find: findFirefox },
  // A virtual X display for Firefox's element suite: headless Firefox has no screen to capture.
  Xvfb: { packages: ['xvfb'], find: () => findOnPath('Xvfb') },
  turnserver: { packages: ['coturn'], find: () => findOnPath('turnserver') },
  janus: { packages: ['janus', 'libjs-janus-gateway'], find: () => findOnPath('janus') },
  postgres: { packages: ['postgresql'], find: findPostgres },
  'redis-server': { packages: ['redis-server'], find: () => findOnPath('redis-server') },
  php: { packages: ['php-cli', 'php-mysql'], find: findPhp },
  // The server only: each WordPress test starts its own in a temp folder (test/helpers/mariadb.ts).
  mariadbd: { packages: ['mariadb-server'], find: () => findOnPath('mariadbd') },
  phpunit: { packages: ['phpunit'], find: () => findOnPath('phpunit') },
  wordpress: { packages: ['wordpress'], find: findWordPress },
};

/** The apt-get install line for these commands' packages, for a person to run. */
export function installHint(names) {
  const packages = [...new Set(names.flatMap((n) => SYSTEM_COMMANDS[n]?.packages ?? [n]))];
  return `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
}

function canInstall() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot && findOnPath('apt-get') !== undefined;
}

let installTried = false;

/**
 * Finds every named command, installing the missing ones' packages with apt-get when running as
 * root (once per process, `apt-get update` first). Returns each command's path; throws with the
 * exact install line when something is still missing.
 * @param {string[]} names keys of SYSTEM_COMMANDS
 * @returns {Record<string, string>}
 */
export function ensureSystemCommands(names, log = (line) => process.stdout.write(`${line}\n`)) {
  for (const name of names) {
    if (!SYSTEM_COMMANDS[name])
      throw new Error(`Unknown system command ${name}: add it to SYSTEM_COMMANDS in scripts/system-packages.mjs.`);
  }
  const found = () => Object.fromEntries(names.map((n) => [n, SYSTEM_COMMANDS[n].find()]));
  let paths = found();
  let missing = names.filter((n) => !paths[n]);
  if (missing.length > 0 && !installTried && canInstall()) {
    installTried = true;
    const packages = [...new Set(missing.flatMap((n) => SYSTEM_COMMANDS[n].packages))];
    log(`Missing ${missing.join(', ')}: installing Debian's ${packages.join(' ')} with apt-get...`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
    paths = found();
    missing = names.filter((n) => !paths[n]);
  }
  if (missing.length > 0) {
    throw new Error(
      `The tests need ${missing.join(', ')}, which this machine lacks. Install: ${installHint(missing)}` +
        (missing.includes('chromium') ? ' (or set CHROME_PATH to a Chromium or Chrome executable)' : '') +
        (missing.includes('firefox') ? ' (or set FIREFOX_PATH to a Firefox executable)' : ''),
    );
  }
  return paths;
}

// As a command: ensure the named commands and print their paths.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  try {
    const paths = ensureSystemCommands(process.argv.slice(2));
    for (const [name, path] of Object.entries(paths)) process.stdout.write(`${name}: ${path}\n`);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
