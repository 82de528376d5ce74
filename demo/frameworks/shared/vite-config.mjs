// The shared Vite setup of the framework pages: relative asset paths (the build works from any
// folder), and `oovoo-elements` taken from this checkout's ES module build (dist/esm, made by
// `npm run build`). An app that installed the package needs no alias: the package's exports map these names.
import { fileURLToPath } from 'node:url';

const esm = fileURLToPath(new URL('../../../dist/esm/', import.meta.url));

/** @param {import('vite').PluginOption[]} plugins @param {import('vite').UserConfig} [extra] */
export function frameworkPage(plugins, extra = {}) {
  return {
    base: './',
    plugins,
    logLevel: 'warn',
    resolve: {
      alias: [
        { find: /^oovoo-elements$/, replacement: `${esm}index.js` },
        { find: /^oovoo-elements\/elements\/(.+)$/, replacement: `${esm}elements/$1.js` },
      ],
    },
    ...extra,
    build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', ...extra.build },
  };
}
