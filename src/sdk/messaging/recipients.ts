import { requireUserId } from '../ids.js';
import type { SendParams } from './messaging.js';

/** `to` as the spec takes it (one id or a list, strings or numbers), each trimmed. Also used by Push. */
export function userIds(value: SendParams['to']): string[] {
  const list = Array.isArray(value) ? (value as ReadonlyArray<unknown>) : [value];
  return list.map((v) => requireUserId(v, 'to'));
}
