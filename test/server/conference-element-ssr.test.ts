import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('<oovoo-conference> and <oovoo-video-tile> modules', () => {
  it('import where there is no window, document or navigator (server-side rendering)', async () => {
    assert.equal(typeof (globalThis as { document?: unknown }).document, 'undefined');
    const { OovooConference } = await import('../../src/elements/conference/conference.js');
    const { OovooVideoTile } = await import('../../src/elements/video-tile/video-tile.js');
    const { decodeUserData, encodeUserData } = await import('../../src/elements/conference/user-data.js');
    assert.equal(typeof OovooConference, 'function');
    assert.equal(typeof OovooVideoTile, 'function');
    // The display name travels beside the user data; anything else is someone's plain user data.
    assert.deepEqual(decodeUserData(encodeUserData('Ann <b>', 'x'), 'u1'), { displayName: 'Ann <b>', userData: 'x' });
    assert.deepEqual(decodeUserData('{"displayName":"forged"}', 'u1'), {
      displayName: 'u1',
      userData: '{"displayName":"forged"}',
    });
    assert.deepEqual(decodeUserData('plain', 'u1'), { displayName: 'u1', userData: 'plain' });
  });
});
