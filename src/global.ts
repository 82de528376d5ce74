/**
 * The self-contained script (dist/oovoo.min.js, also served as /webrtc/oovoosdk-2.1.1.min.js):
 * defines the globals `ooVooClient` and `ooVoo.API` of the ooVoo JS SDK 2.1.1.
 */
import { createApiNamespace, getClient } from './sdk/index.js';
import { rememberScriptOrigin } from './sdk/server-url.js';
import { installMediaUrlShim } from './sdk/media-url-shim.js';
// Registers every element: a page needs only this one script tag.
import './elements/index.js';

rememberScriptOrigin();
// The spec's samples play streams through URL.createObjectURL(stream).
installMediaUrlShim();
const client = getClient();
const target = globalThis as unknown as { ooVooClient: unknown; ooVoo: { API: unknown } };
target.ooVooClient = client;
target.ooVoo = { ...(target.ooVoo ?? {}), API: createApiNamespace(client) };
