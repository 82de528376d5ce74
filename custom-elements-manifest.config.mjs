// custom-elements.json is generated from the elements' JSDoc (@summary, @attr, @fires, @csspart, @cssprop, @slot).
export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts'],
  litelement: true,
  dev: false,
  // Never rewrite package.json: the staleness check runs the analyzer into a scratch folder.
  packagejson: false,
};
