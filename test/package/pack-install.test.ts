import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChunkFiles, Paths } from '../../src/protocol/constants.js';
import { cleanEnv, ROOT, runProgram, writePackages } from '../helpers/packages.js';
import { waitFor } from '../helpers/wait.js';

// The two published packages as someone gets them: packed, installed from the tarball into a fresh folder.
// Installs use npm's cache (--prefer-offline) and the registry for what is not in it.

/** What the server needs and a page never does: none may reach a front-end app's node_modules. */
const SERVER_ONLY = ['fastify', 'better-sqlite3', 'kysely', 'pino', 'web-push', 'nodemailer', 'ws', 'jose'];
/** The elements package's whole list of dependencies. */
const ELEMENTS_DEPENDENCIES = ['@lit/context', 'lit', 'nanoevents', 'webrtc-adapter'];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];

/** `npm install <tarball>` in a fresh folder, scripts allowed (so a package with install scripts would run them). */
async function installInFreshFolder(dir: string, tarball: string, timeoutMs: number) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'fresh-app', private: true, type: 'module' })}\n`);
  const args = ['install', '--ignore-scripts=false', '--prefer-offline', '--no-audit', '--no-fund', tarball];
  const ran = await runProgram('npm', args, { cwd: dir, timeoutMs, what: `npm install ${tarball}` });
  assert.equal(ran.code, 0, `npm install failed:\n${ran.stdout}\n${ran.stderr}`);
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8'));
  const packages = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>);
  return { ms: ran.ms, packages };
}

/** Every package.json under node_modules (nested ones too), by folder. */
function installedManifests(modules: string): Array<[string, any]> {
  return readdirSync(modules, { recursive: true })
    .map(String)
    .filter(
      (f) =>
        f.endsWith('package.json') && /(^|\/)node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(`node_modules/${f}`),
    )
    .map((f) => [f.replace(/\/package\.json$/, ''), JSON.parse(readFileSync(join(modules, f), 'utf8'))]);
}

describe('the published packages: packed, then installed in fresh folders', () => {
  let work: string;
  let tarballs: Record<'oovoo-elements' | 'oovoo-server', string>;
  const elementsApp = () => join(work, 'elements-app');

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'oovoo-packages-'));
    tarballs = await writePackages(join(work, 'packages'), true);
    for (const tarball of Object.values(tarballs)) assert.ok(existsSync(tarball), tarball);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('oovoo-elements installs only the front end: its four dependencies, no server package, no install script, no native build', async (t) => {
    const { ms, packages } = await installInFreshFolder(elementsApp(), tarballs['oovoo-elements'], 300_000);
    const modules = join(elementsApp(), 'node_modules');
    const installed = packages.map(([path]) => path).filter(Boolean);
    t.diagnostic(`oovoo-elements: ${installed.length} packages in ${(ms / 1000).toFixed(1)} s`);

    const pkg = JSON.parse(readFileSync(join(modules, 'oovoo-elements', 'package.json'), 'utf8'));
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ELEMENTS_DEPENDENCIES);
    assert.equal(pkg.scripts, undefined, 'the package has no scripts');
    const names = installed.map((path) => path.replace(/^.*node_modules\//, ''));
    for (const name of SERVER_ONLY) assert.ok(!names.includes(name), `${name} was installed with oovoo-elements`);
    assert.ok(
      names.includes('lit') && names.includes('webrtc-adapter'),
      `the dependencies were installed: ${names.join(', ')}`,
    );

    // npm's record and the packages themselves: no install script, no binding.gyp (npm would run node-gyp), no .node file.
    assert.deepEqual(
      packages.filter(([, p]) => p.hasInstallScript).map(([path]) => path),
      [],
    );
    for (const [folder, manifest] of installedManifests(modules)) {
      for (const script of INSTALL_SCRIPTS)
        assert.equal(manifest.scripts?.[script], undefined, `${folder} has a ${script} script`);
      assert.ok(!existsSync(join(modules, folder, 'binding.gyp')), `${folder} has a binding.gyp`);
    }
    const nativeFiles = readdirSync(modules, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.node'));
    assert.deepEqual(nativeFiles, [], 'no native module was built or shipped');
  });

  it('oovoo-elements resolves and type-checks: its entry points, the script-tag build with every chunk, the typings', async () => {
    const modules = join(elementsApp(), 'node_modules');
    const dist = join(modules, 'oovoo-elements', 'dist');
    for (const file of [basenameOf(Paths.script), basenameOf(Paths.specScript), ...Object.values(ChunkFiles)])
      assert.ok(existsSync(join(dist, file)), `dist/${file} is in the package`);
    for (const file of [
      'esm/index.js',
      'types/sdk/index.d.ts',
      'types/elements/index.d.ts',
      'types/protocol/index.d.ts',
      'lang/fr.json',
    ])
      assert.ok(existsSync(join(dist, file)), `dist/${file} is in the package`);
    for (const file of ['vue', 'svelte', 'react', 'preact'])
      assert.ok(existsSync(join(dist, 'frameworks', `${file}.d.ts`)), `${file} typings`);
    assert.ok(existsSync(join(dist, 'vscode.html-custom-data.json')), 'VS Code custom data');
    assert.ok(existsSync(join(modules, 'oovoo-elements', 'custom-elements.json')), 'custom-elements.json');
    assert.ok(!existsSync(join(dist, 'server')), 'no server code');

    // Node resolves the package's exports as a bundler would (the modules need a DOM to run).
    const specifiers = [
      'oovoo-elements',
      'oovoo-elements/sdk',
      'oovoo-elements/elements/login/login',
      'oovoo-elements/oovoo.min.js',
    ];
    const resolved = await runProgram(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((s) => import.meta.resolve(s))))`,
      ],
      { cwd: elementsApp(), timeoutMs: 60_000, what: 'resolving the exports' },
    );
    assert.equal(resolved.code, 0, resolved.stderr);
    const urls: string[] = JSON.parse(resolved.stdout);
    assert.deepEqual(
      urls.map((u) => u.replace(/^.*\/node_modules\/oovoo-elements\//, '')),
      ['dist/esm/index.js', 'dist/esm/sdk/index.js', 'dist/esm/elements/login/login.js', 'dist/oovoo.min.js'],
    );

    // The declarations, in strict mode and with the libraries' own declarations checked too.
    writeFileSync(
      join(elementsApp(), 'check.ts'),
      `import { OoVooClient, ConferenceStateEventType } from 'oovoo-elements/sdk';
import type { OovooConference, OovooJoinEvent } from 'oovoo-elements';
import type { OovooLogin } from 'oovoo-elements/elements/login/login';
const client: OoVooClient | undefined = undefined;
const state: ConferenceStateEventType | undefined = undefined;
const conference: OovooConference = document.createElement('oovoo-conference');
const login: OovooLogin | null = document.querySelector('oovoo-login');
conference.addEventListener('oovoo-join', (event: OovooJoinEvent) => console.log(event.detail.conferenceId));
login?.addEventListener('oovoo-connect', (event) => console.log(event.detail.userId, client, state));
`,
    );
    writeFileSync(
      join(elementsApp(), 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    const checked = await runProgram(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      {
        cwd: elementsApp(),
        timeoutMs: 180_000,
        what: 'tsc in the fresh folder',
      },
    );
    assert.equal(checked.code, 0, `tsc:\n${checked.stdout}${checked.stderr}`);
  });

  it(
    'oovoo-server installs and `npx oovoo-server start` serves the browser scripts, the demo and the portal',
    { timeout: 840_000 },
    async (t) => {
      const app = join(work, 'server-app');
      // better-sqlite3 compiles from source where no prebuilt binary is reachable: minutes on a busy 2-core machine.
      const { ms, packages } = await installInFreshFolder(app, tarballs['oovoo-server'], 720_000);
      t.diagnostic(`oovoo-server: ${packages.filter(([path]) => path).length} packages in ${(ms / 1000).toFixed(1)} s`);
      const names = packages.map(([path]) => path.replace(/^.*node_modules\//, ''));
      assert.ok(!names.includes('lit'), 'the server package does not bring the elements’ dependencies');

      const data = join(work, 'server-data');
      let child: ChildProcess | undefined;
      let output = '';
      try {
        child = spawn('npx', ['oovoo-server', 'start', '--port', '0', '--data', data], {
          cwd: app,
          env: cleanEnv(),
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true, // npx starts node: the group is stopped as one
        });
        child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
        const started = child;
        const url = await waitFor(
          () => {
            if (started.exitCode !== null) throw new Error(`oovoo-server exited with ${started.exitCode}: ${output}`);
            return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
          },
          { what: 'oovoo-server to listen', timeoutMs: 120_000, intervalMs: 100 },
        );

        const get = async (path: string) => {
          const response = await fetch(`${url}${path}`);
          return {
            status: response.status,
            type: response.headers.get('content-type') ?? '',
            body: await response.text(),
          };
        };
        const script = await get(Paths.script);
        assert.equal(script.status, 200);
        assert.match(script.type, /^text\/javascript/);
        const packed = join(work, 'packages', 'oovoo-server', 'dist', 'oovoo.min.js');
        assert.equal(script.body, readFileSync(packed, 'utf8'), 'the SDK script the package carries');
        for (const path of [
          Paths.specScript,
          ...Object.values(ChunkFiles).map((f) => `/${f}`),
          '/webrtc/oovoo-chat.min.js',
        ]) {
          const chunk = await get(path);
          assert.equal(chunk.status, 200, `${path}: ${chunk.body.slice(0, 200)}`);
          assert.match(chunk.type, /^text\/javascript/, path);
        }
        const demo = await get('/');
        assert.equal(demo.status, 200);
        assert.match(demo.body, /<oovoo-login/);
        assert.doesNotMatch(demo.body, /%OOVOO_DEMO_TOKEN%/, 'the demo has the development app’s token');
        assert.equal((await get('/portal')).status, 200);
        assert.equal((await get('/portal/portal.js')).status, 200);
        assert.equal((await get('/lang/fr.json')).status, 200);
        assert.equal((await get('/samples/video-chat.html')).status, 200);
      } finally {
        if (child?.pid && child.exitCode === null) {
          const running = child;
          process.kill(-running.pid!, 'SIGTERM');
          await waitFor(() => running.exitCode !== null || running.signalCode !== null, {
            what: 'oovoo-server to stop',
            timeoutMs: 30_000,
          });
        }
      }
    },
  );
});

function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
