// Three builds: ES modules for bundlers, one self-contained minified script for <script> tags,
// and the server for plain node. Declarations come from tsc (npm run build).
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import minifyTemplates from '@lit-labs/rollup-plugin-minify-html-literals';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import typescript from 'typescript';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys(pkg.dependencies ?? {});
const isExternal = (names) => (id) => names.some((name) => id === name || id.startsWith(`${name}/`));
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const ts = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json', sourceMap: true });
// Lit's html`` and css`` templates keep their indentation and comments unless minified: before esbuild,
// which would otherwise see them as plain strings. A template it cannot minify fails the build.
const templates = () => minifyTemplates({ include: ['src/**/*.ts'], failOnError: true });
// The script tag build loads what is split off as scripts of its own, from beside the SDK script:
// webrtc-adapter (only in browsers that need it), the SDK's media extras and the elements' extras (on
// first use). Each lazy loader `load-x.ts` (an import() for bundlers) has a `load-x-script.ts` beside
// it that this build takes instead.
const scriptLoaders = () => ({
  name: 'script-loaders',
  resolveId(source, importer) {
    if (!importer || !/(^|\/)load-[\w-]+\.js$/.test(source)) return null;
    const file = resolvePath(dirname(importer), source.replace(/\.js$/, '-script.ts'));
    return existsSync(file) ? file : null;
  },
});
// The chunks (extras, chat) take these modules from the SDK script (script-chunks.ts puts them on
// `__oovooShared`) instead of carrying copies: one Lit, one context key, one set of event classes.
const CHUNK_SHARED = {
  lit: (id) => id === 'lit',
  litContext: (id) => id === '@lit/context',
  icons: (id) => id.endsWith('/src/elements/icons.ts'),
  enums: (id) => id.endsWith('/src/sdk/enums.ts'),
  errors: (id) => id.endsWith('/src/sdk/errors.ts'),
  ids: (id) => id.endsWith('/src/sdk/messaging/ids.ts'),
  base: (id) => id.endsWith('/src/elements/base/oovoo-element.ts'),
  reactions: (id) => id.endsWith('/src/elements/conference/reactions.ts'),
  context: (id) => id.endsWith('/src/elements/context.ts'),
  events: (id) => id.endsWith('/src/elements/events/index.ts'),
};
// <oovoo-chat> and <oovoo-prejoin> too: the script-tag build defines each from its own script
// (dist/oovoo-chat.min.js, dist/oovoo-prejoin.min.js) when a page has one.
const ON_DEMAND = {
  './chat/chat.js': 'chat/chat-on-demand.ts',
  './prejoin/prejoin.js': 'prejoin/prejoin-on-demand.ts',
  './conversations/conversations.js': 'conversations/conversations-on-demand.ts',
};
const chatOnDemand = () => ({
  name: 'chat-on-demand',
  resolveId: (source, importer) =>
    ON_DEMAND[source] && importer?.endsWith('/src/elements/index.ts')
      ? fileURLToPath(new URL(`./src/elements/${ON_DEMAND[source]}`, import.meta.url))
      : null,
});
const sharedName = (id) => Object.keys(CHUNK_SHARED).find((name) => CHUNK_SHARED[name](id));

// The SDK script gives the chunks only the names they import (a whole `import * as lit` would keep every
// export of Lit and @lit/context in the SDK script): the chunks are built first and say what they use.
const sharedUse = new Map(); // shared module key -> names the chunks import from it
const sdkChunkKeys = new Set(); // the keys the SDK's chunks use: src/sdk/chunk-shared.ts must share each
const recordSharedUse = (input) => ({
  name: 'record-shared-use',
  generateBundle(_, bundle) {
    for (const output of Object.values(bundle)) {
      if (output.type !== 'chunk') continue;
      for (const [id, names] of Object.entries(output.importedBindings)) {
        // Local modules are named by their path relative to the chunk's input ('ids.ts', '../icons.ts').
        const key = sharedName(/\.ts$/.test(id) ? resolvePath(dirname(input), id) : id);
        if (!key) continue;
        if (input.startsWith('src/sdk/')) sdkChunkKeys.add(key);
        if (!sharedUse.has(key)) sharedUse.set(key, new Set());
        for (const name of names) sharedUse.get(key).add(name);
      }
    }
  },
});
// In script-chunks.ts and chunk-shared.ts, each `import * as key from '…'` of a shared module becomes the names the chunks use.
const shareOnlyUsed = () => ({
  name: 'share-only-used',
  transform(code, id) {
    if (!/\/src\/(elements\/extras\/script-chunks|sdk\/chunk-shared)\.ts$/.test(id)) return null;
    if (sharedUse.size === 0) this.error('the chunks must be built before the SDK script (rollup.config.mjs order)');
    if (id.endsWith('/src/sdk/chunk-shared.ts')) {
      const provided = [...code.matchAll(/^import \* as (\w+) from /gm)].map((m) => m[1]);
      const missing = [...sdkChunkKeys].filter((key) => !provided.includes(key));
      if (missing.length) this.error(`the SDK's chunks import ${missing.join(', ')}: share them in src/sdk/chunk-shared.ts`);
    }
    // One line for one line: the source map stays true (map: null keeps the incoming one).
    const shared = code.replace(/^import \* as (\w+) from ('[^']+');$/gm, (line, key, from) => {
      const names = [...(sharedUse.get(key) ?? [])];
      if (names.includes('*')) return line;
      return `import { ${names.join(', ')} } from ${from}; const ${key} = { ${names.join(', ')} };`;
    });
    return { code: shared, map: null };
  },
});

// esbuild writes its __decorateClass helper into every module with decorators: the script-tag bundle
// carried one copy per element. Move each distinct helper into one shared module instead. The helper's
// lines become the import and blank lines, so the code below it keeps its place (and its source map).
const sharedDecoratorHelper = () => {
  const helper =
    /^var __defProp = Object\.defineProperty;\n(?:var __getOwnPropDesc = Object\.getOwnPropertyDescriptor;\n)?var __decorateClass = [^\n]*\n(?: [^\n]*\n)*\};\n/m;
  const ids = new Map(); // helper text -> virtual module id
  const modules = new Map(); // virtual module id -> its code
  return {
    name: 'shared-decorator-helper',
    resolveId: (id) => (modules.has(id) ? id : null),
    load: (id) => modules.get(id) ?? null,
    transform(code, id) {
      const found = modules.has(id) ? null : helper.exec(code);
      if (!found) return null;
      const before = code.slice(0, found.index);
      const after = code.slice(found.index + found[0].length);
      // Another helper of esbuild's still uses them: leave this module alone.
      if (/\b(__defProp|__getOwnPropDesc)\b/.test(before + after)) return null;
      if (!ids.has(found[0])) {
        const shared = `\0decorate-helper-${ids.size}`;
        ids.set(found[0], shared);
        modules.set(shared, `${found[0]}export { __decorateClass };\n`);
      }
      const lines = found[0].split('\n').length - 1;
      const replacement = `import { __decorateClass } from ${JSON.stringify(ids.get(found[0]))};` + '\n'.repeat(lines);
      return { code: before + replacement + after, map: null };
    },
  };
};

/**
 * The members terser may rename in the script-tag bundles: declared `private` (and not decorated: Lit
 * keys reactive properties by name) in the browser sources, and a name nothing else uses. Any other
 * declaration of that name (ours, the DOM's, a dependency's types), any string holding it, or any access
 * that does not resolve to such a private member keeps the name as it is.
 */
function privateMemberNames(entries) {
  const { config } = typescript.readConfigFile(fileURLToPath(new URL('./tsconfig.json', import.meta.url)), typescript.sys.readFile);
  const { options } = typescript.parseJsonConfigFileContent(config, typescript.sys, fileURLToPath(new URL('.', import.meta.url)));
  const program = typescript.createProgram(entries, { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const ours = (file) => /\/src\/(sdk|elements|protocol)\//.test(file.fileName);
  const members = [
    typescript.SyntaxKind.PropertyDeclaration, typescript.SyntaxKind.MethodDeclaration, typescript.SyntaxKind.GetAccessor, typescript.SyntaxKind.SetAccessor];
  const isPrivateMember = (node) =>
    (members.includes(node.kind) || typescript.isParameterPropertyDeclaration(node, node.parent)) &&
    typescript.isIdentifier(node.name) &&
    (typescript.getCombinedModifierFlags(node) & typescript.ModifierFlags.Private) !== 0 &&
    !typescript.getDecorators(node)?.length &&
    ours(node.getSourceFile());
  const candidates = new Set();
  const taken = new Set();
  for (const file of program.getSourceFiles()) {
    const visit = (node) => {
      if (typescript.isStringLiteral(node)) {
        // A plain string can name a member (`'x' in o`, `o[key]`) only when it is one identifier; words of a
        // sentence (an error message) name nothing.
        if (/^[A-Za-z_$][\w$]*$/.test(node.text)) taken.add(node.text);
      } else if (typescript.isStringLiteralLike(node) || typescript.isTemplateLiteralToken(node)) {
        // Templates keep every word: Lit's `.prop=${…}` bindings name members inside them.
        for (const word of node.text.match(/[A-Za-z_$][\w$]*/g) ?? []) taken.add(word);
      } else if (isPrivateMember(node)) {
        candidates.add(node.name.text);
      } else if (typescript.isPropertyAccessExpression(node)) {
        const declarations = checker.getSymbolAtLocation(node.name)?.declarations ?? [];
        if (declarations.length === 0 || !declarations.every(isPrivateMember)) taken.add(node.name.text);
      } else if (node.name && typescript.isIdentifier(node.name) && !typescript.isFunctionDeclaration(node) && !typescript.isClassLike(node)) {
        // Any other named thing that can be a property: members, signatures, object keys, enum members.
        const local = typescript.isVariableDeclaration(node) || (typescript.isParameter(node) && !typescript.isParameterPropertyDeclaration(node, node.parent));
        if (!local) taken.add(node.name.text);
      }
      if (typescript.isShorthandPropertyAssignment(node)) taken.add(node.name.text);
      if (typescript.isBindingElement(node) && node.propertyName) taken.add(node.propertyName.getText());
      typescript.forEachChild(node, visit);
    };
    visit(file);
  }
  return [...candidates].filter((name) => !taken.has(name)).sort();
}

const privateMembers = privateMemberNames([
  'src/global.ts',
  'src/global-spec.ts',
  'src/sdk/conference/call-extras.ts',
  'src/sdk/messaging/messaging-extras.ts',
  'src/sdk/login-extras.ts',
]);
// The script-tag bundles: three passes, and private members renamed (terser keeps DOM names whatever the regex).
const minifyScript = () =>
  terser({
    format: { comments: false },
    compress: { passes: 3 },
    mangle: { properties: { regex: new RegExp(`^(?:${privateMembers.join('|')})$`) } },
  });

// The chunks keep their property names: renamed apart from the SDK script, a short name of theirs
// could meet one of the SDK script's on the same object (a subclass of its OovooElement).
const minifyChunk = () => terser({ format: { comments: false }, compress: { passes: 3 } });

/**
 * A chunk script: the shared modules come from `__oovooShared`; `name` receives its exports. What a chunk
 * loads on first use of its own (<oovoo-chat>'s files, chat-files.ts) is split off for bundlers only: a
 * script has no second file to load, so it goes inside.
 */
const chunk = (input, file, name) => ({
  input,
  external: (id) => sharedName(id) !== undefined,
  plugins: [resolve({ browser: true }), templates(), ts(), minifyChunk(), recordSharedUse(input)],
  output: {
    file,
    format: 'iife',
    name,
    globals: (id) => `__oovooShared.${sharedName(id)}`,
    sourcemap: true,
    inlineDynamicImports: true,
  },
});

// The elements' language packs (src/elements/lang/<lang>.json), minified into `folder` of the build's
// output: data files fetched on demand beside the code that asks for them, never bundled into it.
const languagePacks = (folder) => ({
  name: 'language-packs',
  generateBundle() {
    const dir = new URL('./src/elements/lang/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const source = JSON.stringify(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
      this.emitFile({ type: 'asset', fileName: `${folder}/${file}`, source });
    }
  },
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
      'elements/prejoin/prejoin': 'src/elements/prejoin/prejoin.ts',
      'elements/conversations/conversations': 'src/elements/conversations/conversations.ts',
    },
    // Only the package's dependencies stay imports; the icons (lucide, a devDependency) are bundled, under
    // vendor/: a published package may not hold a node_modules folder, and apps need not install all of Lucide.
    external: isExternal(dependencies),
    plugins: [resolve({ browser: true }), templates(), ts(), languagePacks('elements/lang')],
    output: {
      dir: 'dist/esm',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      entryFileNames: (chunk) => `${chunk.name.replace(/^(?:.*\/)?node_modules\//, 'vendor/')}.js`,
      sourcemap: true,
    },
  },
  // (b4) Built before the SDK script, which shares with them only what they import (recordSharedUse).
  // The elements' extras, loaded on first use beside either SDK script; (b5) <oovoo-chat>, defined when a page has one.
  chunk('src/elements/extras/extras.ts', 'dist/oovoo-extras.min.js', '__oovooExtras'),
  chunk('src/elements/chat/chat.ts', 'dist/oovoo-chat.min.js'),
  // (b8) <oovoo-prejoin>, defined when a page or an <oovoo-conference prejoin> shows one.
  chunk('src/elements/prejoin/prejoin.ts', 'dist/oovoo-prejoin.min.js'),
  // (b10) <oovoo-conversations>, defined when a page has one.
  chunk('src/elements/conversations/conversations.ts', 'dist/oovoo-conversations.min.js'),
  // (b6) The SDK's media extras (SFU topology, stats readers, the call monitor's readings), on first use.
  chunk('src/sdk/conference/call-extras.ts', 'dist/oovoo-call.min.js', '__oovooCall'),
  // (b7) The SDK's messaging extras (inbox, sends and receipts, Web Push), on first use.
  chunk('src/sdk/messaging/messaging-extras.ts', 'dist/oovoo-messaging.min.js', '__oovooMessaging'),
  // (b9) The SDK's client-side logins (redirect and popup form, direct login, a refusal's reason), on first use.
  chunk('src/sdk/login-extras.ts', 'dist/oovoo-login.min.js', '__oovooLogin'),
  // (b) The script tag build: everything bundled, minified, defines the globals.
  {
    input: 'src/global.ts',
    plugins: [scriptLoaders(), chatOnDemand(), shareOnlyUsed(), resolve({ browser: true }), templates(), ts(), sharedDecoratorHelper(), minifyScript(), languagePacks('lang')],
    output: { file: 'dist/oovoo.min.js', format: 'iife', sourcemap: true },
  },
  // (b3) The same at the spec's path (/webrtc/oovoosdk-2.1.1.min.js), plus the URL.createObjectURL(stream) shim.
  {
    input: 'src/global-spec.ts',
    plugins: [scriptLoaders(), chatOnDemand(), shareOnlyUsed(), resolve({ browser: true }), templates(), ts(), sharedDecoratorHelper(), minifyScript()],
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
