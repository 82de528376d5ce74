/**
 * The self-contained script (dist/oovoo.min.js): defines the globals `ooVooClient` and `ooVoo.API`
 * of the ooVoo JS SDK 2.1.1. The spec's path serves global-spec.ts, which adds the media URL shim.
 */
// First: the script tag is read before the elements below are defined (and upgrade what is already in the page).
import './sdk/remember-script.js';
import { createApiNamespace, getClient } from './sdk/index.js';
// Registers every element: a page needs only this one script tag.
import './elements/index.js';

const client = getClient();
const target = globalThis as unknown as { ooVooClient: unknown; ooVoo: { API: unknown } };
target.ooVooClient = client;
target.ooVoo = { ...(target.ooVoo ?? {}), API: createApiNamespace(client) };
