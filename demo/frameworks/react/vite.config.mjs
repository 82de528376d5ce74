import { frameworkPage } from '../shared/vite-config.mjs';

// React 19 needs no plugin to build: esbuild compiles JSX with the automatic runtime.
export default frameworkPage([], { esbuild: { jsx: 'automatic' } });
