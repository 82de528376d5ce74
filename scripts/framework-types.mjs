// The elements' typings for framework templates, generated from custom-elements.json (npm run build):
// dist/frameworks/vue.d.ts (Vue's GlobalComponents), svelte.d.ts (Svelte 5's SvelteHTMLElements),
// react.d.ts and preact.d.ts (JSX IntrinsicElements), and VS Code's custom data for HTML and CSS.
//
// The TypeScript files are written here rather than by the custom-element-*-integration plugins: those
// type a handler as `CustomEvent<T>` with T the detail (ours carry the event class, as the manifest
// schema says), key Vue's props and events in kebab case (vue-tsc camelizes, so they never match),
// write Svelte 4's `on:`/`bind:` forms into a module-scoped `svelteHTML`, and import a shared event
// type once per element (a duplicate identifier). The VS Code data comes from its plugin as it is.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateVsCodeCustomElementData } from 'custom-element-vs-code-integration';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const outDir = join(dist, 'frameworks');
const manifest = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));
/** Where the generated files import the element and event classes from (dist/types/index.d.ts). */
const TYPES_FROM = '../types/index.js';
const HEADER = '// Generated from custom-elements.json by scripts/framework-types.mjs. Do not edit.\n';

const camelize = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
const comment = (text, indent) =>
  text ? `${indent}/** ${text.replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */\n` : '';
const isPublic = (member) => member && member.privacy !== 'private' && member.privacy !== 'protected' && !member.static;

/** One element's template surface: attributes, settable properties and events, each with its TypeScript type. */
function elementModel(decl) {
  const fields = new Map((decl.members ?? []).filter((m) => m.kind === 'field').map((m) => [m.name, m]));
  const typeOf = (fieldName, fallback) =>
    isPublic(fields.get(fieldName)) ? `${decl.name}['${fieldName}']` : (plainType(fallback) ?? 'string');
  // An attribute without a field is state the element writes (call-role, locked, lobby): not an input.
  const attributes = (decl.attributes ?? [])
    .filter((a) => a.fieldName)
    .map((a) => ({ name: a.name, type: `AttributeValue<${typeOf(a.fieldName, a.type?.text)}>`, doc: a.description }));
  const properties = [...fields.values()]
    .filter((f) => isPublic(f) && !f.readonly && !f.name.startsWith('#'))
    .map((f) => ({ name: f.name, type: `${decl.name}['${f.name}']`, doc: f.description }));
  const events = (decl.events ?? []).map((e) => {
    const type = e.type?.text;
    // Every event names its class (@fires {OovooJoinEvent} oovoo-join): a handler is typed by it.
    if (!type || !/^[A-Z]\w*$/.test(type))
      throw new Error(`${decl.tagName}: event ${e.name} has no event class in the manifest (@fires {Class} name)`);
    return { name: e.name, type, doc: e.description };
  });
  return {
    tag: decl.tagName,
    className: decl.name,
    doc: decl.summary ?? decl.description,
    attributes,
    properties,
    events,
  };
}

/** A manifest type that needs no import (primitives and literals), else undefined. */
function plainType(text) {
  if (!text) return undefined;
  return /^(\s*(string|number|boolean|null|undefined|'[^']*')\s*\|?)+$/.test(text) ? text : undefined;
}

/** Members keyed by name; a later one with the same key is dropped (an attribute and its property of one name). */
function members(list, indent, optional = '?') {
  const seen = new Set();
  return list
    .filter((m) => !seen.has(m.key) && seen.add(m.key))
    .map((m) => `${comment(m.doc, indent)}${indent}${JSON.stringify(m.key)}${optional}: ${m.type};\n`)
    .join('');
}

const elements = manifest.modules
  .flatMap((m) => m.declarations ?? [])
  .filter((d) => d.customElement && d.tagName)
  .map(elementModel)
  .sort((a, b) => a.tag.localeCompare(b.tag));
if (elements.length === 0) throw new Error('custom-elements.json lists no element');

const imports = () => {
  const names = new Set(elements.flatMap((e) => [e.className, ...e.events.map((v) => v.type)]));
  return `import type { ${[...names].sort().join(', ')} } from '${TYPES_FROM}';\n`;
};
const ATTRIBUTE_VALUE =
  "/** An attribute as markup writes it: the property's type, or a number's digits as a string. */\n" +
  'type AttributeValue<T> = T | (T extends number ? `${T}` : never);\n';

/** Attributes (kebab case), properties (camel case) and `on<event>` handlers, as JSX and Svelte 5 take them. */
const ownProps = (e, extraEvents = () => []) =>
  `interface ${e.className}Props {\n${members(
    [
      ...e.attributes.map((a) => ({ key: a.name, type: a.type, doc: a.doc })),
      ...e.properties.map((p) => ({ key: p.name, type: p.type, doc: p.doc })),
      ...e.events.flatMap((v) => [
        { key: `on${v.name}`, type: `(event: ${v.type}) => void`, doc: v.doc },
        ...extraEvents(v),
      ]),
    ],
    '  ',
  )}}\n`;

const tagEntries = (type) => elements.map((e) => `${comment(e.doc, '      ')}      '${e.tag}': ${type(e)};\n`).join('');

function vue() {
  // Vue camelizes attribute names and turns @oovoo-join into the emit 'oovoo-join' (Vue's docs, "Web Components").
  const props = elements
    .map(
      (e) =>
        `interface ${e.className}Props {\n${members(
          [
            ...e.attributes.map((a) => ({ key: camelize(a.name), type: a.type, doc: a.doc })),
            ...e.properties.map((p) => ({ key: p.name, type: p.type, doc: p.doc })),
          ],
          '  ',
        )}}\ninterface ${e.className}Events {\n${members(
          e.events.map((v) => ({ key: v.name, type: v.type, doc: v.doc })),
          '  ',
          '',
        )}}\n`,
    )
    .join('\n');
  return `${HEADER}import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
${imports()}
${ATTRIBUTE_VALUE}
/** An element in a template: its attributes and properties as props, its events as emits. */
type VueElement<E extends HTMLElement, Props, Events> = new () => E & {
  /** @deprecated For template type checks only; not a property of the element. */
  $props: Props & Omit<HTMLAttributes, keyof Props> & PublicProps;
  /** @deprecated For template type checks only; not a method of the element. */
  $emit: EmitFn<{ [K in keyof Events]: (event: Events[K]) => void }>;
};

${props}
declare module 'vue' {
  interface GlobalComponents {
${tagEntries((e) => `VueElement<${e.className}, ${e.className}Props, ${e.className}Events>`).replace(/^ {2}/gm, '')}  }
}
`;
}

function svelte() {
  return `${HEADER}import type { HTMLAttributes } from 'svelte/elements';
${imports()}
${ATTRIBUTE_VALUE}
declare const notAnOovooElement: unique symbol;
/**
 * A tag that starts with oovoo- but is no element of oovoo-elements: check its spelling. (Svelte accepts
 * any tag; this makes an attribute on a misspelled one an error.)
 */
type NoSuchOovooElement = { readonly [notAnOovooElement]?: never };
type SvelteElement<E extends EventTarget, Props> = Props & Omit<HTMLAttributes<E>, keyof Props> & NoSuchOovooElement;

${elements.map((e) => ownProps(e, (v) => [{ key: `on:${v.name}`, type: `(event: ${v.type}) => void`, doc: v.doc }])).join('\n')}
declare module 'svelte/elements' {
  interface SvelteHTMLElements {
${tagEntries((e) => `SvelteElement<${e.className}, ${e.className}Props>`).replace(/^ {2}/gm, '')}    [tag: \`oovoo-\${string}\`]: NoSuchOovooElement;
  }
}
`;
}

function jsx(framework) {
  const react = framework === 'react';
  const base = react
    ? `import type { ClassAttributes, HTMLAttributes } from 'react';\n`
    : `import type { HTMLAttributes } from 'preact';\n`;
  const element = react
    ? 'Props & Omit<HTMLAttributes<E>, keyof Props> & ClassAttributes<E>'
    : 'Props & Omit<HTMLAttributes<E>, keyof Props>';
  return `${HEADER}${base}${imports()}
${ATTRIBUTE_VALUE}
type JsxElement<E extends HTMLElement, Props> = ${element};

${elements.map((e) => ownProps(e)).join('\n')}
declare module '${framework}' {
  namespace JSX {
    interface IntrinsicElements {
${tagEntries((e) => `JsxElement<${e.className}, ${e.className}Props>`)}    }
  }
}
`;
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'vue.d.ts'), vue());
writeFileSync(join(outDir, 'svelte.d.ts'), svelte());
writeFileSync(join(outDir, 'react.d.ts'), jsx('react'));
writeFileSync(join(outDir, 'preact.d.ts'), jsx('preact'));
// The plugin logs its output files even with hideLogs; the build stays quiet (rollup --silent).
const log = console.log;
console.log = () => {};
try {
  generateVsCodeCustomElementData(JSON.parse(JSON.stringify(manifest)), {
    outdir: dist,
    htmlFileName: 'vscode.html-custom-data.json',
    cssFileName: 'vscode.css-custom-data.json',
    hideLogs: true,
  });
} finally {
  console.log = log;
}
