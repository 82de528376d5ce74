// Preloaded (`--import`) into every node:test file process by scripts/test.mjs: gives each test
// and hook that sets no timeout of its own a default one, so a wait with no deadline fails that
// test instead of hanging the run. Node 20's --test-timeout cannot do this: it bounds each test
// file as a whole (every test of a long file would be cut off together).
import { createRequire, syncBuiltinESMExports } from 'node:module';

const DEFAULT_TIMEOUT_MS = Number(process.env.OOVOO_TEST_TIMEOUT_MS) || 120_000;
const nodeTest = createRequire(import.meta.url)('node:test');

/** test/it: ([name][, options][, fn]); the options get a timeout when they have none. */
function withDefaultTimeout(define) {
  const wrapped = function (...args) {
    const at = args.findIndex((a) => typeof a === 'object' && a !== null);
    if (at === -1) args.splice(typeof args[0] === 'string' ? 1 : 0, 0, { timeout: DEFAULT_TIMEOUT_MS });
    else if (args[at].timeout === undefined) args[at] = { ...args[at], timeout: DEFAULT_TIMEOUT_MS };
    return define.apply(this, args);
  };
  for (const key of ['skip', 'todo', 'only']) if (typeof define[key] === 'function') wrapped[key] = define[key];
  return wrapped;
}

/** before/after/beforeEach/afterEach: (fn[, options]). */
function hookWithDefaultTimeout(hook) {
  return function (fn, options) {
    return hook.call(this, fn, { ...options, timeout: options?.timeout ?? DEFAULT_TIMEOUT_MS });
  };
}

for (const name of ['it', 'test']) if (typeof nodeTest[name] === 'function') nodeTest[name] = withDefaultTimeout(nodeTest[name]);
for (const name of ['before', 'after', 'beforeEach', 'afterEach']) if (typeof nodeTest[name] === 'function') nodeTest[name] = hookWithDefaultTimeout(nodeTest[name]);
// ESM imports of node:test (`import { it } from 'node:test'`) see the wrapped functions from here on.
syncBuiltinESMExports();
