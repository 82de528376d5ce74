/**
 * The self-contained script (dist/oovoo.min.js): defines the globals `ooVooClient` and `ooVoo.API`
 * of the ooVoo JS SDK 2.1.1. The spec's path serves global-spec.ts, which adds the media URL shim.
 */
import { createApiNamespace, getClient } from './sdk/index.js';
import { rememberScriptOrigin } from './sdk/server-url.js';
// Registers every element: a page needs only this one script tag.
import './elements/index.js';

rememberScriptOrigin();
const client = getClient();
const target = globalThis as unknown as { ooVooClient: unknown; ooVoo: { API: unknown } };
target.ooVooClient = client;
target.ooVoo = { ...(target.ooVoo ?? {}), API: createApiNamespace(client) };
