/**
 * The script-tag build's first module (imported first by src/global.ts): it reads the SDK's own script tag
 * (its URL and `data-server`) before any element is defined. A script placed after the markup upgrades the
 * elements already in the page while it runs, and they may add chunks from beside it at once.
 */
import { rememberScriptOrigin } from './server-url.js';

rememberScriptOrigin();
