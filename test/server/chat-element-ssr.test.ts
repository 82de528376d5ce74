import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('<oovoo-chat> module', () => {
  it('imports where there is no window or document (server-side rendering)', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    const { OovooChat } = await import('../../src/elements/chat/chat.js');
    const { linkify } = await import('../../src/elements/chat/linkify.js');
    assert.equal(typeof OovooChat, 'function');
    assert.deepEqual(linkify('a https://x.test b'), ['a ', { href: 'https://x.test/', text: 'https://x.test' }, ' b']);
  });
});
