import { frameworkPage } from '../shared/vite-config.mjs';

// Angular here runs its JIT compiler in the page (`import '@angular/compiler'`), so Vite and esbuild
// build it with no Angular CLI. An Angular CLI app uses the same component (see README).
export default frameworkPage([], {
  esbuild: { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } },
  // The JIT compiler makes the bundle about 1.1 MB: fine for a demo, not for production (use the CLI's AOT build).
  build: { chunkSizeWarningLimit: 1500 },
});
