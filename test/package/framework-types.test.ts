import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectWithElements, ROOT, runProgram, writePackages } from '../helpers/packages.js';

// The typings the package ships for templates (dist/frameworks, from custom-elements.json), checked by each
// framework's own checker as an app would run it, strict, with the libraries' declarations checked too: a
// correct page passes (an inline handler's event typed from the element), and each of three mistakes fails
// on its own line: a handler of another event's type, a misspelled tag, a made-up attribute.

interface Mistake {
  /** The correct page's line this mistake changes, and what it becomes. */
  from: string;
  to: string;
  /** What the checker's error on that line says. */
  says: RegExp;
}

interface Framework {
  name: string;
  extension: string;
  /** The project's tsconfig.json. */
  tsconfig: object;
  correct: string;
  mistakes: Record<'wrong event type' | 'misspelled tag' | 'made-up attribute', Mistake>;
  /** Runs the checker in the project; its errors by file and line. */
  check(dir: string): Promise<CheckerError[]>;
}

interface CheckerError {
  file: string;
  line: number;
  message: string;
}

const compilerOptions = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
};

const SCRIPT = `import type { OovooJoinEvent, OovooLeaveEvent } from 'oovoo-elements';
const log: string[] = [];
function record(text: string): void {
  log.push(text);
}
function onJoin(event: OovooJoinEvent): void {
  record(event.detail.conferenceId);
}
function onLeave(event: OovooLeaveEvent): void {
  record(String(event.detail.errorCode));
}`;

/** The three mistakes, as each framework writes the conference's join handler. */
function mistakes(joinHandler: (handler: string) => string) {
  return {
    'wrong event type': {
      from: joinHandler('onJoin'),
      to: joinHandler('onLeave'),
      says: /OovooLeaveEvent/,
    },
    'misspelled tag': {
      from: '<oovoo-chat to="bob"></oovoo-chat>',
      to: '<oovoo-caht to="bob"></oovoo-caht>',
      says: /oovoo-caht|NoSuchOovooElement/,
    },
    'made-up attribute': { from: 'conference-id="demo"', to: 'conference-id="demo" room="demo"', says: /room/ },
  };
}

/** `file(line,col): error TSxxxx: message` lines of tsc and vue-tsc. */
function tscErrors(output: string): CheckerError[] {
  return [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/gm)].map((m) => ({
    file: m[1]!,
    line: Number(m[2]),
    message: m[3]!,
  }));
}

const tsc = (script: string) => async (dir: string) => {
  const ran = await runProgram(process.execPath, [join(ROOT, 'node_modules', script), '-p', 'tsconfig.json'], {
    cwd: dir,
    timeoutMs: 240_000,
    what: script,
  });
  return tscErrors(ran.stdout + ran.stderr);
};

const jsxPage = (attributes: string) => `${SCRIPT}
export function App() {
  return (
    <oovoo-login app-token="t" user-id="alice" sandbox server="http://localhost:8080">
      <oovoo-conference conference-id="demo" layout="speaker" max-tiles="4" autojoin onoovoo-join={onJoin} onoovoo-leave={(e) => record(String(e.detail.errorCode))}${attributes}>
        <oovoo-chat to="bob"></oovoo-chat>
      </oovoo-conference>
    </oovoo-login>
  );
}
`;

const FRAMEWORKS: Framework[] = [
  {
    name: 'Vue (vue-tsc, strictTemplates)',
    extension: 'vue',
    tsconfig: {
      compilerOptions: { ...compilerOptions, types: ['oovoo-elements/vue'] },
      vueCompilerOptions: { strictTemplates: true },
      include: ['*.vue'],
    },
    correct: `<script setup lang="ts">
${SCRIPT}
</script>

<template>
  <oovoo-login app-token="t" user-id="alice" sandbox server="http://localhost:8080">
    <oovoo-conference conference-id="demo" layout="speaker" max-tiles="4" autojoin @oovoo-join="onJoin" @oovoo-leave="(e) => record(String(e.detail.errorCode))">
      <oovoo-chat to="bob"></oovoo-chat>
    </oovoo-conference>
  </oovoo-login>
</template>
`,
    mistakes: mistakes((handler) => `@oovoo-join="${handler}"`),
    check: tsc('vue-tsc/bin/vue-tsc.js'),
  },
  {
    name: 'Svelte 5 (svelte-check)',
    extension: 'svelte',
    tsconfig: {
      compilerOptions: { ...compilerOptions, verbatimModuleSyntax: true, types: ['oovoo-elements/svelte'] },
      include: ['*.svelte'],
    },
    correct: `<script lang="ts">
${SCRIPT}
</script>

<oovoo-login app-token="t" user-id="alice" sandbox server="http://localhost:8080">
  <oovoo-conference conference-id="demo" layout="speaker" max-tiles="4" autojoin onoovoo-join={onJoin} onoovoo-leave={(e) => record(String(e.detail.errorCode))}>
    <oovoo-chat to="bob"></oovoo-chat>
  </oovoo-conference>
</oovoo-login>
`,
    mistakes: mistakes((handler) => `onoovoo-join={${handler}}`),
    async check(dir) {
      const bin = join(ROOT, 'node_modules', 'svelte-check', 'bin', 'svelte-check');
      const ran = await runProgram(
        process.execPath,
        [bin, '--workspace', dir, '--tsconfig', join(dir, 'tsconfig.json'), '--output', 'machine'],
        {
          cwd: dir,
          timeoutMs: 240_000,
          what: 'svelte-check',
        },
      );
      // `<time> ERROR "<file>" <line>:<col> "<message>"`
      return [...ran.stdout.matchAll(/^\d+ ERROR "([^"]+)" (\d+):\d+ (".*")$/gm)].map((m) => ({
        file: m[1]!,
        line: Number(m[2]),
        message: JSON.parse(m[3]!) as string,
      }));
    },
  },
  {
    name: 'React 19 (tsc)',
    extension: 'tsx',
    tsconfig: {
      compilerOptions: { ...compilerOptions, jsx: 'react-jsx', types: ['oovoo-elements/react'] },
      include: ['*.tsx'],
    },
    correct: jsxPage(' className="call"'),
    mistakes: mistakes((handler) => `onoovoo-join={${handler}}`),
    check: tsc('typescript/bin/tsc'),
  },
  {
    name: 'Preact (tsc)',
    extension: 'tsx',
    tsconfig: {
      compilerOptions: {
        ...compilerOptions,
        jsx: 'react-jsx',
        jsxImportSource: 'preact',
        types: ['oovoo-elements/preact'],
      },
      include: ['*.tsx'],
    },
    correct: jsxPage(' class="call"'),
    mistakes: mistakes((handler) => `onoovoo-join={${handler}}`),
    check: tsc('typescript/bin/tsc'),
  },
];

/** The file name of a page: `correct` or the mistake's name. */
const fileName = (name: string, extension: string) => `${name.replace(/\W+/g, '-')}.${extension}`;

describe('typings for templates: the correct page passes, each mistake fails on its line', () => {
  let work: string;
  let project: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'oovoo-framework-types-'));
    const folders = await writePackages(join(work, 'packages'), false);
    project = projectWithElements(join(work, 'project'), folders['oovoo-elements']);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('the README names the versions checked here', () => {
    const version = (name: string) =>
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const named =
      `Vue ${version('vue')} (vue-tsc ${version('vue-tsc')}), Svelte ${version('svelte')} (svelte-check ${version('svelte-check')}), ` +
      `React ${version('react')} (@types/react ${version('@types/react')}) and Preact ${version('preact')} with TypeScript ${version('typescript')}`;
    assert.ok(readme.includes(named), `README.md's Typed templates says: ${named}`);
  });

  for (const framework of FRAMEWORKS) {
    it(framework.name, async () => {
      const dir = join(project, framework.name.replace(/\W+/g, '-'));
      mkdirSync(dir);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(framework.tsconfig, null, 2));
      writeFileSync(join(dir, fileName('correct', framework.extension)), framework.correct);
      const expected = new Map<string, { line: number; says: RegExp }>();
      for (const [name, mistake] of Object.entries(framework.mistakes)) {
        const lines = framework.correct.split('\n');
        const at = lines.findIndex((l) => l.includes(mistake.from));
        assert.ok(
          at >= 0 && lines.filter((l) => l.includes(mistake.from)).length === 1,
          `${name}: one line has ${mistake.from}`,
        );
        lines[at] = lines[at]!.replace(mistake.from, mistake.to);
        const file = fileName(name, framework.extension);
        writeFileSync(join(dir, file), lines.join('\n'));
        expected.set(file, { line: at + 1, says: mistake.says });
      }

      const errors = await framework.check(dir);
      const shown = errors.map((e) => `${e.file}:${e.line} ${e.message}`).join('\n');
      const inFile = (file: string) => errors.filter((e) => e.file.endsWith(file));
      assert.deepEqual(
        inFile(fileName('correct', framework.extension)),
        [],
        `the correct page has no error:\n${shown}`,
      );
      for (const [file, { line, says }] of expected) {
        const found = inFile(file);
        assert.ok(found.length > 0, `${file} fails:\n${shown}`);
        for (const error of found)
          assert.equal(error.line, line, `${file}: errors only on the mistake's line:\n${shown}`);
        assert.ok(
          found.some((e) => says.test(e.message)),
          `${file}: an error says ${says}:\n${shown}`,
        );
      }
      // Nothing else: the shipped declarations and the libraries' own compile cleanly.
      const elsewhere = errors.filter(
        (e) => ![fileName('correct', framework.extension), ...expected.keys()].some((f) => e.file.endsWith(f)),
      );
      assert.deepEqual(elsewhere, [], `errors outside the pages:\n${shown}`);
    });
  }
});
