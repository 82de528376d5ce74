// Three builds: ES modules for bundlers, one self-contained minified script for <script> tags,
// and the server for plain node. Declarations come from tsc (npm run build).
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import minifyTemplates from '@lit-labs/rollup-plugin-minify-html-literals';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const isExternal = (names) => (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ts = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', sourceMap: true });
// Lit's html`` and css`` templates keep their indentation and comments unless minified: before esbuild,
// which would otherwise see them as plain strings. A template it cannot minify fails the build.
const templates = () => minifyTemplates({ include: ['src/**/*.ts'], failOnError: true });
// The script tag build loads webrtc-adapter as its own script (dist/oovoo-adapter.min.js), only in
// browsers that need it: swap the ES modules' lazy import for the script loader.
const adapterAsScript = () => ({
  name: 'adapter-as-script',
  resolveId: (source) =>
    source.endsWith('/adapter/load-adapter.js') ? fileURLToPath(new URL('./src/sdk/conference/adapter/load-adapter-script.ts', import.meta.url)) : null,
});

export default [
  // (a) ES modules, one file per source module, dependencies left to the app's bundler.
  {
    input: {
      index: 'src/index.ts',
      'sdk/index': 'src/sdk/index.ts',
      'protocol/index': 'src/protocol/index.ts',
      'elements/index': 'src/elements/index.ts',
      'elements/login/login': 'src/elements/login/login.ts',
      'elements/conference/conference': 'src/elements/conference/conference.ts',
      'elements/video-tile/video-tile': 'src/elements/video-tile/video-tile.ts',
      'elements/chat/chat': 'src/elements/chat/chat.ts',
    },
    external: isExternal(dependencies),
    plugins: [resolve({ browser: true }), templates(), ts()],
    output: { dir: 'dist/esm', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
  },
  // (b) The script tag build: everything bundled, minified, defines the globals.
  {
    input: 'src/global.ts',
    plugins: [adapterAsScript(), resolve({ browser: true }), templates(), ts(), terser({ format: { comments: false }, compress: { passes: 2 } })],
    output: { file: 'dist/oovoo.min.js', format: 'iife', sourcemap: true },
  },
  // (b3) The same at the spec's path (/webrtc/oovoosdk-2.1.1.min.js), plus the URL.createObjectURL(stream) shim.
  {
    input: 'src/global-spec.ts',
    plugins: [adapterAsScript(), resolve({ browser: true }), templates(), ts(), terser({ format: { comments: false }, compress: { passes: 2 } })],
    output: { file: 'dist/oovoosdk-2.1.1.min.js', format: 'iife', sourcemap: true },
  },
  // (b2) webrtc-adapter alone, added by the script tag build in browsers that need it.
  {
    input: 'src/sdk/conference/adapter/adapter-script.ts',
    // commonjs: webrtc-adapter imports the CommonJS `sdp` package.
    plugins: [resolve({ browser: true }), commonjs(), ts(), terser({ format: { comments: false }, compress: { passes: 2 } })],
    output: { file: 'dist/oovoo-adapter.min.js', format: 'iife', sourcemap: true },
  },
  // (d) The developer portal page's script, served at /portal/portal.js.
  {
    input: 'src/portal/index.ts',
    plugins: [resolve({ browser: true }), templates(), ts(), terser({ format: { comments: false }, compress: { passes: 2 } })],
    output: { file: 'dist/portal/portal.js', format: 'es', sourcemap: true },
  },
  // (c) The server, for `node dist/server/cli.js` and `import ... from 'oovoo-elements/server'`.
  {
    input: { index: 'src/server/index.ts', cli: 'src/server/cli.ts' },
    external: (id) => nodeBuiltins.includes(id) || isExternal(dependencies)(id),
    plugins: [resolve({ preferBuiltins: true }), esbuild({ target: 'node20', tsconfig: 'tsconfig.json', sourceMap: true })],
    output: { dir: 'dist/server', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name].js' },
  },
];
