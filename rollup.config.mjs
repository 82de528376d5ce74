// Three builds: ES modules for bundlers, one self-contained minified script for <script> tags,
// and the server for plain node. Declarations come from tsc (npm run build).
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const isExternal = (names) => (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ts = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', sourceMap: true });

export default [
  // (a) ES modules, one file per source module, dependencies left to the app's bundler.
  {
    input: {
      index: 'src/index.ts',
      'sdk/index': 'src/sdk/index.ts',
      'protocol/index': 'src/protocol/index.ts',
      'elements/index': 'src/elements/index.ts',
      'elements/login/login': 'src/elements/login/login.ts',
    },
    external: isExternal(dependencies),
    plugins: [resolve({ browser: true }), ts()],
    output: { dir: 'dist/esm', format: 'es', preserveModules: true, preserveModulesRoot: 'src', sourcemap: true },
  },
  // (b) The script tag build: everything bundled, minified, defines the globals.
  {
    input: 'src/global.ts',
    plugins: [resolve({ browser: true }), ts(), terser({ format: { comments: false }, compress: { passes: 2 } })],
    output: { file: 'dist/oovoo.min.js', format: 'iife', sourcemap: true },
  },
  // (c) The server, for `node dist/server/cli.js` and `import ... from 'oovoo-elements/server'`.
  {
    input: { index: 'src/server/index.ts', cli: 'src/server/cli.ts' },
    external: (id) => nodeBuiltins.includes(id) || isExternal(dependencies)(id),
    plugins: [resolve({ preferBuiltins: true }), esbuild({ target: 'node20', tsconfig: 'tsconfig.json', sourceMap: true })],
    output: { dir: 'dist/server', format: 'es', sourcemap: true, chunkFileNames: 'chunks/[name].js' },
  },
];
