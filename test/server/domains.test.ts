import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCallbackUrl, normalizeDomain, originAllowed, parseDomain } from '../../src/server/domains.js';

describe('domains', () => {
  describe('normalizeDomain', () => {
    const accepted: Array<[string, string]> = [
      ['localhost', 'localhost'],
      ['localhost:8080', 'localhost:8080'],
      ['example.com:80', 'example.com:80'],
      ['127.0.0.1:9999', '127.0.0.1:9999'],
      ['[::1]', '[::1]'],
      ['[::1]:8080', '[::1]:8080'],
      ['bücher.example', 'xn--bcher-kva.example'],
    ];
    for (const [input, expected] of accepted) {
      it(`normalizes ${input} to ${expected}`, () => {
        assert.equal(normalizeDomain(input), expected);
      });
    }

    for (const input of [
      '',
      'http://x/',
      'a b',
      'evil.com/path',
      'user@host',
      'user:pw@host',
      'host?q',
      'host#f',
      'localhost:0',
      'localhost:65536',
      'a\\b',
      'a\tb',
      'x'.repeat(261),
    ]) {
      it(`refuses ${JSON.stringify(input.slice(0, 20))}`, () => {
        assert.throws(() => normalizeDomain(input));
      });
    }
  });

  describe('parseDomain', () => {
    it('splits host and port, IPv6 included', () => {
      assert.deepEqual(parseDomain('localhost'), { host: 'localhost' });
      assert.deepEqual(parseDomain('localhost:8080'), { host: 'localhost', port: 8080 });
      assert.deepEqual(parseDomain('[::1]'), { host: '[::1]' });
      assert.deepEqual(parseDomain('[::1]:8080'), { host: '[::1]', port: 8080 });
    });
  });

  describe('checkCallbackUrl', () => {
    const domains = ['localhost', '127.0.0.1:9999', 'example.com:443', '[::1]'];

    for (const url of [
      'http://localhost/',
      'http://localhost:3000/a?b=c#d',
      'https://localhost/',
      'http://127.0.0.1:9999/x',
      'https://example.com/',
      'https://example.com:443/',
      'http://[::1]:5000/',
    ]) {
      it(`accepts ${url}`, () => {
        assert.equal(checkCallbackUrl(url, domains)?.href, new URL(url).href);
      });
    }

    for (const url of [
      'http://127.0.0.1:9998/',
      'http://127.0.0.1/',
      'http://example.com/',
      'http://example.com:8443/',
      'http://localhost.evil.com/',
      'http://evillocalhost/',
      'http://localhost@evil.com/',
      'http://user:pass@localhost/',
      '//localhost/',
      '/\\localhost',
      'http:\\\\localhost/',
      'javascript://localhost/%0aalert(1)',
      'ftp://localhost/',
      'http://localhost%2eevil.com/',
      'http://%6c%6fcalhost.evil.com/',
      'http://evil.com\\@localhost/',
      'http://localhost\n/',
      'http://[::2]/',
      `http://localhost/${'x'.repeat(2048)}`,
    ]) {
      it(`refuses ${JSON.stringify(url.slice(0, 60))}`, () => {
        assert.equal(checkCallbackUrl(url, domains), undefined);
      });
    }

    it('refuses anything that is not a string', () => {
      assert.equal(checkCallbackUrl(undefined, domains), undefined);
      assert.equal(checkCallbackUrl(['http://localhost/'], domains), undefined);
    });
  });

  describe('originAllowed', () => {
    const domains = ['localhost', '127.0.0.1:9999'];

    it('accepts full origins of permitted domains', () => {
      assert.equal(originAllowed('http://localhost:1234', domains, { allowBareHost: false }), true);
      assert.equal(originAllowed('https://localhost', domains, { allowBareHost: false }), true);
      assert.equal(originAllowed('http://127.0.0.1:9999', domains, { allowBareHost: false }), true);
    });

    it('accepts bare hosts only when allowed', () => {
      assert.equal(originAllowed('localhost', domains, { allowBareHost: true }), true);
      assert.equal(originAllowed('localhost:1234', domains, { allowBareHost: true }), true);
      assert.equal(originAllowed('127.0.0.1:9999', domains, { allowBareHost: true }), true);
      assert.equal(originAllowed('localhost', domains, { allowBareHost: false }), false);
    });

    for (const origin of [
      undefined,
      '',
      'null',
      'evil.com',
      'http://evil.com',
      'http://localhost.evil.com',
      'localhost.evil.com',
      'http://127.0.0.1:9998',
      '127.0.0.1',
      'http://localhost:1234/',
      'http://localhost/path',
      'http://user@localhost',
      'ftp://localhost',
      'http://localhost\n',
      'localhost@evil.com',
    ]) {
      it(`refuses ${JSON.stringify(origin)}`, () => {
        assert.equal(originAllowed(origin, domains, { allowBareHost: true }), false);
      });
    }
  });
});
