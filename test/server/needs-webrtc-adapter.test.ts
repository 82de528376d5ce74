import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsWebrtcAdapter } from '../../src/sdk/conference/adapter/needs-adapter.js';

const UA = {
  chrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36',
  oldChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36 Edg/139.0.0.0',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  safari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  iosChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/139.0.0.0 Mobile/15E148 Safari/604.1',
};

describe('needsWebrtcAdapter', () => {
  it('is false for current Chromium-based browsers, by client hints or by user agent', () => {
    assert.equal(needsWebrtcAdapter({ userAgent: UA.chrome }), false);
    assert.equal(needsWebrtcAdapter({ userAgent: UA.edge }), false);
    assert.equal(
      needsWebrtcAdapter({
        userAgent: UA.edge,
        userAgentData: {
          brands: [
            { brand: 'Microsoft Edge', version: '139' },
            { brand: 'Chromium', version: '139' },
          ],
        },
      }),
      false,
    );
  });

  it('is true for Firefox, Safari, iOS browsers and old Chromium', () => {
    assert.equal(needsWebrtcAdapter({ userAgent: UA.firefox }), true);
    assert.equal(needsWebrtcAdapter({ userAgent: UA.safari }), true);
    assert.equal(needsWebrtcAdapter({ userAgent: UA.iosChrome }), true);
    assert.equal(needsWebrtcAdapter({ userAgent: UA.oldChrome }), true);
    assert.equal(
      needsWebrtcAdapter({ userAgent: UA.chrome, userAgentData: { brands: [{ brand: 'Chromium', version: '79' }] } }),
      true,
    );
  });

  it('is false where there is no navigator (server-side rendering)', () => {
    assert.equal(needsWebrtcAdapter(null), false);
  });
});
