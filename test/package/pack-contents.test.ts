import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { writePackages } from '../helpers/packages.js';

/** The files of an npm tarball (paths inside `package/`) and their bytes, read with zlib and the tar header layout. */
function tarballFiles(tarball: string): Map<string, Buffer> {
  const tar = gunzipSync(readFileSync(tarball));
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = field(0, 100);
    if (name === '') break; // the two empty blocks at the end
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^package\//, '');
    if (field(156, 1) === '0' || field(156, 1) === '') files.set(path, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** What must never be published: tests, sources, benches, data folders, databases, secrets. */
const NEVER = [
  /(^|\/)(test|tests|__tests__|bench|src|integrations)\//,
  /\.test\.[cm]?[jt]s$/,
  /(^|\/)\.oovoo-data\//,
  /\.(db|sqlite|sqlite3)(-wal|-shm)?$/,
  /(^|\/)(session-secret|demo-app-token)$/,
  /\.zip$/,
];

describe('the published tarballs: what npm pack puts in them', () => {
  let work: string;
  let elements: Map<string, Buffer>;
  let server: Map<string, Buffer>;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'oovoo-pack-contents-'));
    const tarballs = await writePackages(join(work, 'packages'), true);
    elements = tarballFiles(tarballs['oovoo-elements']);
    server = tarballFiles(tarballs['oovoo-server']);
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it('oovoo-elements: dist, types, custom-elements.json, README and LICENSE', () => {
    for (const file of [
      'package.json',
      'README.md',
      'LICENSE',
      'custom-elements.json',
      'dist/oovoo.min.js',
      'dist/oovoo-chat.min.js',
      'dist/esm/index.js',
      'dist/types/index.d.ts',
      'dist/types/elements/index.d.ts',
      'dist/lang/fr.json',
    ])
      assert.ok(elements.has(file), `${file} is in oovoo-elements`);
    assert.match(elements.get('LICENSE')!.toString('utf8'), /^MIT License/);
  });

  it('oovoo-elements names its script for unpkg and jsDelivr, and that file is in the tarball', () => {
    const pkg = JSON.parse(elements.get('package.json')!.toString('utf8'));
    assert.equal(pkg.unpkg, 'dist/oovoo.min.js');
    assert.equal(pkg.jsdelivr, 'dist/oovoo.min.js');
    assert.ok(elements.has(pkg.unpkg));
    assert.equal(pkg.license, 'MIT');
  });

  it('oovoo-server: its code, what it serves, README and LICENSE', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'bin/oovoo-server.js', 'dist/server/index.js']) {
      assert.ok(server.has(file), `${file} is in oovoo-server`);
    }
    assert.ok(server.has('dist/oovoo.min.js'), 'the SDK script it serves');
  });

  it('neither holds tests, sources, benches, data or the WordPress plugin', () => {
    for (const [name, files] of [
      ['oovoo-elements', elements],
      ['oovoo-server', server],
    ] as const) {
      const wrong = [...files.keys()].filter((path) => NEVER.some((pattern) => pattern.test(path)));
      assert.deepEqual(wrong, [], `${name} would publish these`);
    }
  });
});
