import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { freePort } from './free-port.js';
import { startMariaDb, type TestMariaDb } from './mariadb.js';
import { ROOT, runProgram } from './packages.js';
import { waitFor } from './wait.js';

/**
 * A real WordPress for a test file: Debian's copy (package `wordpress`, /usr/share/wordpress) copied into a
 * temp folder with a wp-config.php of its own, installed into a fresh MariaDB database by WordPress's own
 * wp_install(), and served by PHP's built-in server on a free loopback port. Nothing reaches the internet:
 * WP_HTTP_BLOCK_EXTERNAL lets WordPress call only its own host (our server on 127.0.0.1).
 */
export interface TestWordPress {
  /** http://127.0.0.1:PORT, the site's address. */
  readonly url: string;
  readonly dir: string;
  /** The administrator's login and password (users made by addUser share the password). */
  readonly admin: { login: string; password: string };
  /** Runs PHP with WordPress loaded, as a command-line script; resolves with what it printed, fails on an error. */
  php(code: string, env?: Record<string, string>): Promise<string>;
  /** Installs a plugin zip as Plugins → Add New → Upload does (Plugin_Upgrader), and activates it. */
  installPlugin(zip: string, pluginFile: string): Promise<void>;
  /** Makes a user with that role; returns the user's ID. */
  addUser(login: string, role: string, displayName: string): Promise<number>;
  /** Publishes a page; returns its address. */
  addPage(title: string, content: string): Promise<string>;
  /** PHP's warnings and notices (WP_DEBUG_LOG) so far. */
  debugLog(): string;
  /** The built-in server's log so far. */
  serverLog(): string;
  /** Stops the web server and removes the folder. */
  stop(): Promise<void>;
}

/** Debian's WordPress, which the WordPress suite needs (scripts/system-packages.mjs installs it). */
export const DEBIAN_WORDPRESS = '/usr/share/wordpress';

function wpConfig(db: TestMariaDb, database: { name: string; user: string; password: string }, url: string): string {
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT']
    .concat(['LOGGED_IN_SALT', 'NONCE_SALT'])
    .map((name) => `define('${name}', '${randomBytes(32).toString('hex')}');`);
  return `<?php
// Written by test/helpers/wordpress.ts: this copy's own settings (Debian's wp-config.php reads /etc/wordpress).
define('DB_NAME', '${database.name}');
define('DB_USER', '${database.user}');
define('DB_PASSWORD', '${database.password}');
define('DB_HOST', '${db.host}:${db.port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${salts.join('\n')}
$table_prefix = 'wp_';
define('WP_HOME', '${url}');
define('WP_SITEURL', '${url}');
// No cron requests to itself, no updates, no internet: only the loopback host is reachable.
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', __DIR__ . '/wp-content/debug.log');
define('WP_DEBUG_DISPLAY', false);
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`;
}

/** A PHP string literal (single-quoted: no interpolation) of any text. */
export function phpString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Copies WordPress, writes its config, installs it and starts the built-in server. */
export async function startWordPress(db: TestMariaDb): Promise<TestWordPress> {
  if (!existsSync(join(DEBIAN_WORDPRESS, 'wp-settings.php')))
    throw new Error('WordPress is not installed: npm test installs it (apt-get install wordpress)');
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-wordpress-'));
  // Everything but Debian's config and its 31 MB of translations. Debian links a few files (underscore.js,
  // getID3) by relative paths into /usr/share: copied as files, or the links would point nowhere here.
  cpSync(DEBIAN_WORDPRESS, dir, {
    recursive: true,
    dereference: true,
    filter: (source) => !['wp-config.php', 'wp-content/languages'].includes(relative(DEBIAN_WORDPRESS, source)),
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = db.newDatabase(`wp_${port}`);
  writeFileSync(join(dir, 'wp-config.php'), wpConfig(db, database, url));
  const admin = { login: 'admin', password: randomBytes(12).toString('hex') };

  const php = async (code: string, env: Record<string, string> = {}) => {
    const script = join(dir, `oovoo-test-${randomBytes(6).toString('hex')}.php`);
    writeFileSync(script, `<?php\n${code}\n`);
    try {
      const ran = await runProgram('php', [script], {
        cwd: dir,
        timeoutMs: 60_000,
        what: 'a PHP script with WordPress loaded',
        env: { ...process.env, ...env },
      });
      if (ran.code !== 0) throw new Error(`PHP failed (${ran.code}):\n${ran.stdout}\n${ran.stderr}`);
      return ran.stdout;
    } finally {
      rmSync(script, { force: true });
    }
  };
  const load = `require ${phpString(join(dir, 'wp-load.php'))};`;

  // WordPress's own installer: tables, options, the administrator. No mail leaves (pre_wp_mail).
  await php(`define('WP_INSTALLING', true);
${load}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
add_filter('pre_wp_mail', '__return_false');
$result = wp_install('oovoo test site', ${phpString(admin.login)}, 'admin@example.test', false, '', ${phpString(admin.password)});
if (empty($result['user_id'])) { fwrite(STDERR, 'wp_install failed'); exit(1); }`);

  let log = '';
  // A small shell owns the server: PHP's workers are its children in a process group of their own (setsid),
  // stopped together when stdin closes (stop(), or this process dying), then the folder goes.
  const server: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      'setsid "$@" </dev/null & pid=$!; cat >/dev/null; kill -TERM -$pid; wait $pid; rm -rf "$OOVOO_WP_DIR"',
      'wordpress-watchdog',
      'php',
      // The CLI leaves the opcode cache off: on, each request stops compiling all of WordPress again.
      '-d',
      'opcache.enable_cli=1',
      '-S',
      `127.0.0.1:${port}`,
      '-t',
      dir,
    ],
    {
      cwd: dir,
      // Several workers: two pages and their scripts load at once.
      env: { ...process.env, OOVOO_WP_DIR: dir, PHP_CLI_SERVER_WORKERS: '4' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    server.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-200_000));
  server.stdout!.on('data', keep);
  server.stderr!.on('data', keep);
  const stop = async () => {
    if (!exited) server.stdin!.end();
    await exit;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`php -S exited: ${log}`);
        return fetch(`${url}/wp-login.php`).then(
          (r) => r.status,
          () => 0,
        );
      },
      (status) => status === 200,
      { what: 'WordPress to answer', timeoutMs: 30_000, intervalMs: 100 },
    );
  } catch (e) {
    await stop();
    throw e;
  }

  return {
    url,
    dir,
    admin,
    php: (code, env) => php(`${load}\n${code}`, env),
    async installPlugin(zip, pluginFile) {
      await php(`${load}
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
WP_Filesystem();
$upgrader = new Plugin_Upgrader(new Automatic_Upgrader_Skin());
$installed = $upgrader->install(${phpString(zip)});
if ($installed !== true) { fwrite(STDERR, 'install failed: ' . print_r($upgrader->skin->get_upgrade_messages(), true) . print_r($installed, true)); exit(1); }
$activated = activate_plugin(${phpString(pluginFile)});
if (is_wp_error($activated)) { fwrite(STDERR, $activated->get_error_message()); exit(1); }`);
    },
    async addUser(login, role, displayName) {
      const id = await php(`${load}
$id = wp_insert_user(array('user_login' => ${phpString(login)}, 'user_pass' => ${phpString(admin.password)},
  'user_email' => ${phpString(`${login}@example.test`)}, 'role' => ${phpString(role)}, 'display_name' => ${phpString(displayName)}));
if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
echo $id;`);
      return Number(id);
    },
    async addPage(title, content) {
      return php(`${load}
$id = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => ${phpString(title)},
  'post_content' => ${phpString(content)}), true);
if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
echo get_permalink($id);`);
    },
    debugLog: () => {
      const file = join(dir, 'wp-content', 'debug.log');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    },
    serverLog: () => log,
    stop,
  };
}

/** A WordPress with the oovoo plugin installed from the zip `npm run build:wordpress` makes, on its own MariaDB. */
export interface PluginSite {
  readonly wp: TestWordPress;
  readonly db: TestMariaDb;
  /** How long MariaDB, WordPress and the plugin took to be ready, in milliseconds. */
  readonly setupMs: number;
  stop(): Promise<void>;
}

export async function startPluginSite(): Promise<PluginSite> {
  const started = Date.now();
  const zipDir = mkdtempSync(join(tmpdir(), 'oovoo-wordpress-zip-'));
  let db: TestMariaDb | undefined;
  let wp: TestWordPress | undefined;
  try {
    const built = await runProgram(process.execPath, [join(ROOT, 'scripts', 'build-wordpress.mjs'), '--out', zipDir], {
      cwd: ROOT,
      timeoutMs: 60_000,
      what: 'scripts/build-wordpress.mjs',
    });
    if (built.code !== 0) throw new Error(`build-wordpress failed: ${built.stderr}`);
    db = await startMariaDb();
    wp = await startWordPress(db);
    await wp.installPlugin(join(zipDir, 'oovoo-wordpress.zip'), 'oovoo/oovoo.php');
  } catch (e) {
    await wp?.stop();
    await db?.stop();
    throw e;
  } finally {
    rmSync(zipDir, { recursive: true, force: true });
  }
  const site = { wp, db };
  return {
    ...site,
    setupMs: Date.now() - started,
    async stop() {
      await site.wp.stop();
      await site.db.stop();
    },
  };
}

/** The plugin's own PHP warnings, notices and errors in WordPress's debug log (core's PHP 8.2 deprecations left out). */
export function pluginLogLines(wp: TestWordPress): string[] {
  return wp
    .debugLog()
    .split('\n')
    .filter((line) => line.includes('/plugins/oovoo/'));
}
