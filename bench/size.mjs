// `npm run bench:size`: what a page downloads for video calls, ours beside other SDKs. Every bundle,
// ours included, is made in this run by the same steps: rollup + node-resolve for the browser +
// commonjs + TypeScript through esbuild (only .ts files, so a no-op for the others) + terser, one
// minified IIFE that keeps the whole entry (`import * as lib`), then gzip level 9 and brotli quality 11.
// Like is compared with like: a peer that bundles webrtc-adapter (found in its module list) is set
// beside ours with webrtc-adapter in the same bundle; one that does not, beside ours without it.
// Ours is measured as the whole SDK (src/sdk/index.ts with its media, messaging and login extras, like the peers:
// an SDK without UI), as the script-tag build (src/global.ts: what a page loads first, without the parts it
// loads on first use), and each of those parts on its own (the elements' extras, <oovoo-chat>, <oovoo-prejoin>,
// the SDK's media, messaging and login extras; Lit and the shared modules left to the SDK script, as
// rollup.config.mjs builds them).
// Prints a table; writes bench/results/size.json.
// Not part of `npm test` (which checks the budget of dist/oovoo.min.js).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { sizes } from '../scripts/check-size.mjs';
import { describeMachine, describeSource } from './lib/machine.mjs';
import { printTable } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const OTHERS = ['livekit-client', 'twilio-video', '@daily-co/daily-js', 'peerjs'];
const ENTRY = '\0bench-entry';
/**
 * The script-tag build's lazy parts are scripts of their own (rollup.config.mjs `scriptLoaders`): each
 * lazy loader `load-x.ts` has a `load-x-script.ts` beside it. `only` limits the swap to one loader
 * (webrtc-adapter, for the SDK rows); left out, the lazy import puts that part in the same bundle.
 */
const scriptLoaders = (only) => ({
  name: 'script-loaders',
  resolveId(source, importer) {
    const match = /(^|\/)(load-[\w-]+)\.js$/.exec(source);
    if (!importer || !match || (only && match[2] !== only)) return null;
    const file = join(dirname(importer), source.replace(/\.js$/, '-script.ts'));
    return existsSync(file) ? file : null;
  },
});

/** What the chunks take from the SDK script instead of carrying (rollup.config.mjs `CHUNK_SHARED`). */
const sharedWithScript = (id) =>
  id === 'lit' ||
  id === '@lit/context' ||
  /\/src\/(elements\/(icons|context|base\/oovoo-element|events\/index|conference\/reactions)|sdk\/(enums|errors|messaging\/ids))\.ts$/.test(
    id,
  );
/**
 * The script-tag build's <oovoo-chat> and <oovoo-prejoin>: scripts of their own, defined when a page has one
 * (rollup.config.mjs `chatOnDemand`).
 */
const ON_DEMAND = {
  './chat/chat.js': 'chat/chat-on-demand.ts',
  './prejoin/prejoin.js': 'prejoin/prejoin-on-demand.ts',
};
const chatOnDemand = () => ({
  name: 'chat-on-demand',
  resolveId: (source, importer) => {
    const file = ON_DEMAND[source] && join(root, 'src/elements', ON_DEMAND[source]);
    return file && importer?.endsWith('/src/elements/index.ts') && existsSync(file) ? file : null;
  },
});

/** Bundles a whole module (a package name or a file) as one minified IIFE; lists whether webrtc-adapter is in it. */
async function bundle(specifier, { separate = 'none', shared = false } = {}) {
  const warnings = [];
  const build = await rollup({
    input: ENTRY,
    onwarn: (w) => warnings.push(w.code),
    ...(shared ? { external: sharedWithScript } : {}),
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === ENTRY ? id : null),
        load: (id) =>
          id === ENTRY ? `import * as lib from ${JSON.stringify(specifier)};\nexport default lib;\n` : null,
      },
      ...(separate === 'adapter' ? [scriptLoaders('load-adapter')] : []),
      ...(separate === 'all' ? [scriptLoaders(), chatOnDemand()] : []),
      // Libraries that ask for JSON (a package.json for their version) get it as a module.
      {
        name: 'json',
        transform: (code, id) => (id.endsWith('.json') ? { code: `export default ${code};`, map: null } : null),
      },
      // Builds for the browser: what a bundler in production mode replaces.
      {
        name: 'node-env',
        transform: (code) =>
          code.includes('process.env.NODE_ENV')
            ? { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null }
            : null,
      },
      resolve({ browser: true, preferBuiltins: false, extensions: ['.mjs', '.js', '.json', '.ts'] }),
      esbuild({ include: /\.ts$/, target: 'es2022', tsconfig: join(root, 'tsconfig.json') }),
      commonjs(),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
    ],
  });
  const { output } = await build.generate({
    format: 'iife',
    name: 'lib',
    inlineDynamicImports: true,
    ...(shared ? { globals: () => '__oovooShared' } : {}),
  });
  await build.close();
  const modules = Object.keys(output[0].modules);
  return {
    code: output[0].code,
    includesWebrtcAdapter: modules.some((m) => m.includes('/node_modules/webrtc-adapter/')),
    warnings: [...new Set(warnings)],
  };
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  }
}

const machine = await describeMachine(500);
const ourVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const OURS = [
  {
    key: 'sdk',
    name: 'oovoo-elements SDK (src/sdk/index.ts)',
    entry: join(root, 'src/sdk/index.ts'),
    separate: 'adapter',
  },
  {
    key: 'sdk+adapter',
    name: 'oovoo-elements SDK + webrtc-adapter',
    entry: join(root, 'src/sdk/index.ts'),
  },
  {
    key: 'script',
    name: 'oovoo-elements SDK + elements (src/global.ts)',
    entry: join(root, 'src/global.ts'),
    separate: 'all',
  },
  {
    key: 'extras',
    name: 'oovoo-elements extras, on first use (src/elements/extras/extras.ts)',
    entry: join(root, 'src/elements/extras/extras.ts'),
    shared: true,
  },
  {
    key: 'chat',
    name: 'oovoo-elements <oovoo-chat>, on first use (src/elements/chat/chat.ts)',
    entry: join(root, 'src/elements/chat/chat.ts'),
    shared: true,
  },
  {
    key: 'prejoin',
    name: 'oovoo-elements <oovoo-prejoin>, on first use (src/elements/prejoin/prejoin.ts)',
    entry: join(root, 'src/elements/prejoin/prejoin.ts'),
    shared: true,
  },
  {
    key: 'call',
    name: 'oovoo-elements SDK call extras, on first use (src/sdk/conference/call-extras.ts)',
    entry: join(root, 'src/sdk/conference/call-extras.ts'),
    shared: true,
  },
  {
    key: 'messaging',
    name: 'oovoo-elements SDK messaging extras, on first use (src/sdk/messaging/messaging-extras.ts)',
    entry: join(root, 'src/sdk/messaging/messaging-extras.ts'),
    shared: true,
  },
  {
    key: 'login',
    name: 'oovoo-elements SDK login extras, on first use (src/sdk/login-extras.ts)',
    entry: join(root, 'src/sdk/login-extras.ts'),
    shared: true,
  },
  {
    key: 'script+adapter',
    name: 'oovoo-elements SDK + elements + webrtc-adapter',
    entry: join(root, 'src/global.ts'),
  },
];
const ours = {};
const rows = [];
for (const o of OURS) {
  const { code, includesWebrtcAdapter, warnings } = await bundle(o.entry, {
    separate: o.separate,
    shared: o.shared,
  });
  ours[o.key] = {
    name: o.name,
    version: ourVersion,
    includesWebrtcAdapter,
    ...sizes(code),
    ...(warnings.length ? { warnings } : {}),
  };
  rows.push(ours[o.key]);
}
for (const pkg of OTHERS) {
  const { code, includesWebrtcAdapter, warnings } = await bundle(pkg);
  const s = sizes(code);
  const sdk = includesWebrtcAdapter ? ours['sdk+adapter'] : ours.sdk;
  const script = includesWebrtcAdapter ? ours['script+adapter'] : ours.script;
  rows.push({
    name: pkg,
    version: version(pkg),
    includesWebrtcAdapter,
    ...s,
    comparedWith: { sdk: sdk.name, script: script.name },
    timesOurSdkBrotli: Math.round((s.brotli / sdk.brotli) * 10) / 10,
    timesOurScriptBrotli: Math.round((s.brotli / script.brotli) * 10) / 10,
    ...(warnings.length ? { warnings } : {}),
  });
}

const kb = (n) => (n / 1024).toFixed(1);
printTable([
  ['bundle', 'version', 'adapter', 'min KB', 'gzip KB', 'brotli KB', 'x our SDK', 'x our SDK+elements'],
  ...rows.map((r) => [
    r.name,
    r.version,
    r.includesWebrtcAdapter ? 'yes' : 'no',
    kb(r.raw),
    kb(r.gzip),
    kb(r.brotli),
    r.timesOurSdkBrotli ?? '',
    r.timesOurScriptBrotli ?? '',
  ]),
]);
console.log(
  '\n"x our …" is brotli size over ours with webrtc-adapter when that peer bundles it, without when it does not.',
);

mkdirSync(join(here, 'results'), { recursive: true });
const result = {
  date: new Date().toISOString(),
  machine,
  source: describeSource(),
  conditions: {
    method:
      'every bundle built in this run: rollup + @rollup/plugin-node-resolve (browser) + esbuild for .ts only (es2022) + @rollup/plugin-commonjs + @rollup/plugin-terser (passes 2), IIFE of `import * as lib` from the entry, dynamic imports inlined; gzip level 9, brotli quality 11',
    likeWithLike:
      'a peer that bundles webrtc-adapter is compared with ours + webrtc-adapter in one bundle; one that does not, with ours without it',
    oursWithoutAdapter:
      'the script-tag build’s swap (webrtc-adapter loaded as its own script, only in browsers that need it)',
    note: 'sizes do not depend on machine load',
  },
  rows: rows.map((r) => ({
    name: r.name,
    version: r.version,
    includesWebrtcAdapter: r.includesWebrtcAdapter,
    minified: r.raw,
    gzip: r.gzip,
    brotli: r.brotli,
    ...(r.comparedWith
      ? {
          comparedWith: r.comparedWith,
          timesOurSdkBrotli: r.timesOurSdkBrotli,
          timesOurScriptBrotli: r.timesOurScriptBrotli,
        }
      : {}),
    ...(r.warnings ? { warnings: r.warnings } : {}),
  })),
};
writeFileSync(join(here, 'results', 'size.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('written: bench/results/size.json');
