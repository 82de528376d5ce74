#!/usr/bin/env node
// Runs the built server (dist/server); in a checkout without a build, runs the TypeScript source through tsx.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'server', 'cli.js');
let cli;
if (existsSync(built)) {
  cli = await import(pathToFileURL(built).href);
} else {
  await import('tsx/esm');
  cli = await import(pathToFileURL(join(root, 'src', 'server', 'cli.ts')).href);
}
const code = await cli.main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
