// `npm run bench:size`: what a page downloads for video calls, ours beside other SDKs. Each library is
// bundled the same way in this run (rollup + node-resolve for the browser + commonjs + terser, one
// minified IIFE that keeps the whole package: `import * as lib`), then compressed: gzip level 9 and
// brotli quality 11. Ours is dist/oovoo.min.js as `npm run build` makes it (the SDK and every element);
// webrtc-adapter, which it adds only in browsers that need it, is shown on its own row and added.
// Prints a table; writes bench/results/size.json. Not part of `npm test` (which checks the budget).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { sizes } from '../scripts/check-size.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const OTHERS = ['livekit-client', 'twilio-video', '@daily-co/daily-js', 'peerjs'];
const ENTRY = '\0bench-entry';

/** Bundles a whole package as one minified IIFE, as the script build of ours is made. */
async function bundle(pkg) {
  const warnings = [];
  const build = await rollup({
    input: ENTRY,
    onwarn: (w) => warnings.push(w.code),
    plugins: [
      { name: 'entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? `import * as lib from '${pkg}';\nexport default lib;\n` : null) },
      // Libraries that ask for JSON (a package.json for their version) get it as a module.
      { name: 'json', transform: (code, id) => (id.endsWith('.json') ? { code: `export default ${code};`, map: null } : null) },
      // Builds for the browser: what a bundler in production mode replaces.
      { name: 'node-env', transform: (code) => (code.includes('process.env.NODE_ENV') ? { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null } : null) },
      resolve({ browser: true, preferBuiltins: false }),
      commonjs(),
      terser({ format: { comments: false }, compress: { passes: 2 } }),
    ],
  });
  const { output } = await build.generate({ format: 'iife', name: 'lib', inlineDynamicImports: true });
  await build.close();
  return { code: output[0].code, warnings: [...new Set(warnings)] };
}

function version(pkg) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
  } catch {
    return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  }
}

const ours = join(root, 'dist', 'oovoo.min.js');
const adapter = join(root, 'dist', 'oovoo-adapter.min.js');
if (!existsSync(ours) || !existsSync(adapter)) {
  console.error('dist/oovoo.min.js or dist/oovoo-adapter.min.js is missing: run npm run build first');
  process.exit(1);
}

const ourVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const rows = [];
const oursCode = readFileSync(ours);
const adapterCode = readFileSync(adapter);
rows.push({ name: 'oovoo-elements (dist/oovoo.min.js)', version: ourVersion, ...sizes(oursCode) });
rows.push({ name: '  + oovoo-adapter.min.js (Firefox, Safari)', version: version('webrtc-adapter'), ...sizes(adapterCode) });
rows.push({ name: '  = both', version: '', ...sizes(Buffer.concat([oursCode, Buffer.from('\n'), adapterCode])) });
for (const pkg of OTHERS) {
  const { code, warnings } = await bundle(pkg);
  rows.push({ name: pkg, version: version(pkg), ...sizes(code), ...(warnings.length ? { warnings } : {}) });
}

const kb = (n) => (n / 1024).toFixed(1);
const table = [
  ['bundle', 'version', 'min KB', 'gzip KB', 'brotli KB', 'x ours (brotli)'],
  ...rows.map((r) => [r.name, r.version, kb(r.raw), kb(r.gzip), kb(r.brotli), (r.brotli / rows[0].brotli).toFixed(1)]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((cell, c) => (c < 2 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}

mkdirSync(join(here, 'results'), { recursive: true });
const result = {
  date: new Date().toISOString(),
  node: process.version,
  method: 'rollup + @rollup/plugin-node-resolve (browser) + @rollup/plugin-commonjs + @rollup/plugin-terser (passes 2), IIFE; gzip level 9, brotli quality 11',
  rows: rows.map((r) => ({ name: r.name.trim(), version: r.version, minified: r.raw, gzip: r.gzip, brotli: r.brotli, ...(r.warnings ? { warnings: r.warnings } : {}) })),
};
writeFileSync(join(here, 'results', 'size.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('\nwritten: bench/results/size.json');
