// Preloaded (`--import`) into every node:test file process by scripts/test.mjs: gives each test
// and hook that sets no timeout of its own a default one, so a wait with no deadline fails that
// test instead of hanging the run. Node 20's --test-timeout cannot do this: it bounds each test
// file as a whole (every test of a long file would be cut off together).
//
// node:test names a test's file after the frame that called it(): here that frame is the wrapper's,
// so the wrapper is compiled with the test file as its source URL, and the counter
// (node-test-counter.mjs) still counts each test under its file. (The line shown for a test is the
// wrapper's; the file and the test's name are right.)
import { createRequire, syncBuiltinESMExports } from 'node:module';

const DEFAULT_TIMEOUT_MS = Number(process.env.OOVOO_TEST_TIMEOUT_MS) || 300_000;
/** node:test runs one process per test file, started as `node [flags] <file>`. */
const testFile = process.argv[1];

const nodeTest = createRequire(import.meta.url)('node:test');

const compile = (body) => new Function('define', 'timeout', `${body}\n//# sourceURL=${testFile}`);

/** test/it: ([name][, options][, fn]); the options get a timeout when they have none. */
const withDefaultTimeout = compile(`return function (...args) {
  const at = args.findIndex((a) => typeof a === 'object' && a !== null);
  if (at === -1) args.splice(typeof args[0] === 'string' ? 1 : 0, 0, { timeout });
  else if (args[at].timeout === undefined) args[at] = { ...args[at], timeout };
  return define.apply(this, args);
};`);

/** before/after/beforeEach/afterEach: (fn[, options]). */
const hookWithDefaultTimeout = compile(`return function (fn, options) {
  return define.call(this, fn, { ...options, timeout: options?.timeout ?? timeout });
};`);

if (testFile) {
  for (const name of ['it', 'test']) {
    const define = nodeTest[name];
    if (typeof define !== 'function') continue;
    const wrapped = withDefaultTimeout(define, DEFAULT_TIMEOUT_MS);
    // it.skip, it.todo, it.only stay node:test's own (called from the test file, they name it).
    for (const key of ['skip', 'todo', 'only']) if (typeof define[key] === 'function') wrapped[key] = define[key];
    nodeTest[name] = wrapped;
  }
  for (const name of ['before', 'after', 'beforeEach', 'afterEach']) {
    if (typeof nodeTest[name] === 'function')
      nodeTest[name] = hookWithDefaultTimeout(nodeTest[name], DEFAULT_TIMEOUT_MS);
  }
  // ESM imports of node:test (`import { it } from 'node:test'`) see the wrapped functions from here on.
  syncBuiltinESMExports();
}
