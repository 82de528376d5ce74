import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newMessageId } from '../../src/server/messaging/message-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('a message id is a version 7 UUID that sorts by the time it was made', () => {
  const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) => newMessageId(ms));
  for (const id of ids) assert.match(id, UUID_V7);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(ids[0]!.slice(0, 8) + ids[0]!.slice(9, 13), (1_700_000_000_000).toString(16).padStart(12, '0'));
});

test('ids made in one millisecond differ', () => {
  const ids = new Set(Array.from({ length: 10_000 }, () => newMessageId(1_700_000_000_000)));
  assert.equal(ids.size, 10_000);
});
