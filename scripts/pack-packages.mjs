// The two published packages, written from the build (npm run build first):
//   oovoo-elements  the elements and the SDK for pages: ES modules, types, the script-tag build, typings for
//                   framework templates; its dependencies are what dist/esm imports (lit, @lit/context,
//                   nanoevents, webrtc-adapter) and nothing of the server's.
//   oovoo-server    the server and its CLI, with the browser scripts, language packs, portal and demo pages it serves.
// Each package's dependencies are the bare imports of its built code, at the ranges of the top-level package.json.
//
//   node scripts/pack-packages.mjs [--out DIR] [--pack]
//
// writes DIR/oovoo-elements and DIR/oovoo-server (default build/packages); --pack also runs `npm pack` in each and
// prints the tarballs' paths as JSON ({ "oovoo-elements": ".../oovoo-elements-0.1.0.tgz", ... }).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const top = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every file under dir (relative paths), recursively. */
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));

/** The packages that built JavaScript (not its source maps) imports, at the top-level package.json's ranges. */
function dependenciesOf(dirs) {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const names = new Set();
  for (const dir of dirs) {
    for (const file of filesUnder(dir).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dir, file), 'utf8');
      // Static imports and re-exports at the start of a statement, bare imports, and import('…').
      const imports =
        /(?:^|[;\n])\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
      for (const match of code.matchAll(imports)) {
        const spec = match[1] ?? match[2] ?? match[3];
        if (spec.startsWith('.') || spec.startsWith('/') || builtins.has(spec) || builtins.has(spec.split('/')[0]))
          continue;
        names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
  }
  return Object.fromEntries(
    [...names].sort().map((name) => {
      const range = top.dependencies?.[name];
      if (!range)
        throw new Error(`${dirs.join(', ')} import ${name}, which package.json does not list in dependencies`);
      return [name, range];
    }),
  );
}

function copy(from, to) {
  if (!existsSync(from)) throw new Error(`${relative(root, from)} is missing: run npm run build first`);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
}

/** The script-tag build's files: the SDK script under both names and every chunk it adds (ChunkFiles). */
async function browserScripts() {
  const protocol = join(dist, 'esm', 'protocol', 'constants.js');
  if (!existsSync(protocol)) throw new Error('dist/esm is missing: run npm run build first');
  const { ChunkFiles, Paths } = await import(pathToFileURL(protocol).href);
  return [basename(Paths.script), basename(Paths.specScript), ...Object.values(ChunkFiles)];
}

const common = () => ({
  version: top.version,
  license: top.license,
  type: 'module',
  repository: top.repository,
});

async function writeElements(dir) {
  const scripts = await browserScripts();
  copy(join(dist, 'esm'), join(dir, 'dist', 'esm'));
  for (const part of ['index.d.ts', 'sdk', 'elements', 'protocol'])
    copy(join(dist, 'types', part), join(dir, 'dist', 'types', part));
  copy(join(dist, 'frameworks'), join(dir, 'dist', 'frameworks'));
  for (const file of ['vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'lang'])
    copy(join(dist, file), join(dir, 'dist', file));
  for (const file of scripts.flatMap((s) => [s, `${s}.map`])) copy(join(dist, file), join(dir, 'dist', file));
  copy(join(root, 'custom-elements.json'), join(dir, 'custom-elements.json'));
  copy(join(root, 'README.md'), join(dir, 'README.md'));
  copy(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  vendorTypes(join(dir, 'dist', 'types'));
  const pkg = {
    name: 'oovoo-elements',
    description:
      'Embeddable video and chat for the web: Lit custom elements over an SDK compatible with the ooVoo JS SDK 2.1.1.',
    ...common(),
    main: './dist/esm/index.js',
    module: './dist/esm/index.js',
    types: './dist/types/index.d.ts',
    // What unpkg.com/oovoo-elements and cdn.jsdelivr.net/npm/oovoo-elements serve: the script-tag build (with
    // `data-server` on its tag, it finds the server; its chunks load from beside it on the CDN).
    unpkg: 'dist/oovoo.min.js',
    jsdelivr: 'dist/oovoo.min.js',
    exports: {
      '.': { types: './dist/types/index.d.ts', import: './dist/esm/index.js' },
      './sdk': { types: './dist/types/sdk/index.d.ts', import: './dist/esm/sdk/index.js' },
      './elements/*': { types: './dist/types/elements/*.d.ts', import: './dist/esm/elements/*.js' },
      // Typings for templates only: `import type {} from 'oovoo-elements/vue'` or tsconfig "types".
      './vue': { types: './dist/frameworks/vue.d.ts' },
      './svelte': { types: './dist/frameworks/svelte.d.ts' },
      './react': { types: './dist/frameworks/react.d.ts' },
      './preact': { types: './dist/frameworks/preact.d.ts' },
      ...Object.fromEntries(scripts.map((s) => [`./${s}`, `./dist/${s}`])),
      './lang/*': './dist/lang/*',
      './custom-elements.json': './custom-elements.json',
      './vscode.html-custom-data.json': './dist/vscode.html-custom-data.json',
      './vscode.css-custom-data.json': './dist/vscode.css-custom-data.json',
      './package.json': './package.json',
    },
    customElements: 'custom-elements.json',
    files: ['dist', 'custom-elements.json'],
    dependencies: dependenciesOf([join(dir, 'dist', 'esm')]),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * The icons are bundled into dist/esm/vendor/lucide (lucide is a devDependency), but the declarations still
 * import its types: point them at a small declaration of the names used, so no one installs all of Lucide.
 */
function vendorTypes(typesDir) {
  const names = new Set();
  const files = filesUnder(typesDir).filter((f) => f.endsWith('.d.ts'));
  for (const file of files) {
    const path = join(typesDir, file);
    const text = readFileSync(path, 'utf8');
    // lit re-exports lit-html, which is lit's dependency, not ours: name it through lit.
    let out = text.replaceAll('import("lit-html")', 'import("lit")');
    if (out.includes("from 'lucide'")) {
      for (const [, list] of out.matchAll(/\{([^}]*)\}\s*from 'lucide'/g)) {
        for (const name of list.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]))
          if (name) names.add(name.replace(/^type\s+/, ''));
      }
      const to = relative(dirname(path), join(typesDir, 'vendor', 'lucide.js'));
      out = out.replaceAll("from 'lucide'", `from '${to.startsWith('.') ? to : `./${to}`}'`);
    }
    if (out !== text) writeFileSync(path, out);
  }
  if (names.size === 0) return;
  const declarations = [...names]
    .filter((n) => n !== 'IconNode')
    .sort()
    .map((n) => `export declare const ${n}: IconNode;\n`);
  mkdirSync(join(typesDir, 'vendor'), { recursive: true });
  writeFileSync(
    join(typesDir, 'vendor', 'lucide.d.ts'),
    '// The Lucide icons (ISC licence, https://lucide.dev) bundled into dist/esm/vendor/lucide: the types of the ones used.\n' +
      'type SVGProps = Record<string, string | number | undefined>;\n' +
      'export type IconNode = [tag: string, attrs: SVGProps][];\n' +
      declarations.join(''),
  );
}

async function writeServer(dir) {
  copy(join(dist, 'server'), join(dir, 'dist', 'server'));
  for (const part of ['server', 'protocol']) copy(join(dist, 'types', part), join(dir, 'dist', 'types', part));
  // What the server serves from beside itself (routes/assets.ts, portal): the scripts, packs, portal page and demo.
  for (const file of [...(await browserScripts()), 'lang', 'portal']) copy(join(dist, file), join(dir, 'dist', file));
  for (const file of ['index.html', 'sw.js', 'samples']) copy(join(root, 'demo', file), join(dir, 'demo', file));
  copy(join(root, 'bin', 'oovoo-server.js'), join(dir, 'bin', 'oovoo-server.js'));
  copy(join(root, 'README.md'), join(dir, 'README.md'));
  copy(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  const pkg = {
    name: 'oovoo-server',
    description:
      'The server behind oovoo-elements: apps and tokens, login, signaling, messaging, push; one command, SQLite by default.',
    ...common(),
    engines: top.engines,
    bin: { 'oovoo-server': 'bin/oovoo-server.js' },
    main: './dist/server/index.js',
    types: './dist/types/server/index.d.ts',
    exports: {
      '.': { types: './dist/types/server/index.d.ts', import: './dist/server/index.js' },
      './package.json': './package.json',
    },
    files: ['bin', 'dist', 'demo'],
    dependencies: dependenciesOf([join(dir, 'dist', 'server')]),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Writes both packages under outDir; returns their folders. */
export async function writePackages(outDir) {
  const folders = { 'oovoo-elements': join(outDir, 'oovoo-elements'), 'oovoo-server': join(outDir, 'oovoo-server') };
  for (const folder of Object.values(folders)) rmSync(folder, { recursive: true, force: true });
  await writeElements(folders['oovoo-elements']);
  await writeServer(folders['oovoo-server']);
  return folders;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, pack: { type: 'boolean' } } });
  const outDir = resolve(values.out ?? join(root, 'build', 'packages'));
  const folders = await writePackages(outDir);
  if (values.pack) {
    const tarballs = {};
    // Without the variables `npm run` sets for this project: each package is packed as a project of its own.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    for (const [name, folder] of Object.entries(folders)) {
      const [packed] = JSON.parse(
        execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: folder, encoding: 'utf8', env }),
      );
      tarballs[name] = join(outDir, packed.filename);
    }
    process.stdout.write(`${JSON.stringify(tarballs)}\n`);
  } else {
    process.stdout.write(`${Object.values(folders).join('\n')}\n`);
  }
}
