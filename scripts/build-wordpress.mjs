// `npm run build:wordpress`: zips the WordPress plugin (integrations/wordpress/oovoo) into
// dist/oovoo-wordpress.zip, the file a site's admin uploads under Plugins → Add New → Upload Plugin.
//
//   node scripts/build-wordpress.mjs [--out DIR]
//
// The zip is written with Node's own zlib (deflate) and a CRC-32 table: no zip library is installed here, the
// `zip` program is not on every machine, and a zip of a few text files needs only local headers and a central
// directory. Entries are sorted and dated SOURCE_DATE_EPOCH (else 2020-01-01), so the same plugin makes the
// same bytes. WordPress unpacks it with its own PclZip where PHP has no ZipArchive (the WordPress suite installs
// the plugin from this zip that way).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const pluginDir = join(root, 'integrations', 'wordpress', 'oovoo');
/** The folder inside the zip: WordPress installs the plugin under wp-content/plugins/<it>. */
const FOLDER = 'oovoo';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time (local fields taken as UTC, as most zip writers do for reproducible output). */
function dosDateTime(date) {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return { time, day };
}

/** The plugin's files and folders, sorted, as zip entry names; dotfiles are left out. */
function pluginEntries() {
  const entries = readdirSync(pluginDir, { recursive: true, withFileTypes: true })
    .filter(
      (e) =>
        !relative(pluginDir, join(e.parentPath, e.name))
          .split('/')
          .some((part) => part.startsWith('.')),
    )
    .map((e) => {
      const path = relative(pluginDir, join(e.parentPath, e.name));
      return e.isDirectory()
        ? { name: `${FOLDER}/${path}/`, data: Buffer.alloc(0), dir: true }
        : { name: `${FOLDER}/${path}`, data: readFileSync(join(pluginDir, path)), dir: false };
    });
  entries.push({ name: `${FOLDER}/`, data: Buffer.alloc(0), dir: true });
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A zip archive of the entries: deflated files, stored folders, Unix modes. */
export function zip(entries, date) {
  const { time, day } = dosDateTime(date);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = entry.dir ? entry.data : deflateRawSync(entry.data, { level: 9 });
    const method = entry.dir ? 0 : 8;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate, folders)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    local.copy(central, 6, 4, 28); // version needed … name length, as in the local header
    central.writeUInt16LE(0, 30); // no extra field
    central.writeUInt16LE(0, 32); // no comment
    central.writeUInt16LE(0, 34); // disk 0
    central.writeUInt16LE(0, 36); // no internal attributes
    central.writeUInt32LE(((entry.dir ? 0o40755 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Writes the plugin's zip into outDir; returns its path. */
export function buildWordPressPlugin(outDir = join(root, 'dist')) {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const date = Number.isFinite(epoch) && epoch > 315_532_800 ? new Date(epoch * 1000) : new Date(Date.UTC(2020, 0, 1));
  const file = join(outDir, 'oovoo-wordpress.zip');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(file, zip(pluginEntries(), date));
  return file;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const file = buildWordPressPlugin(values.out ? resolve(values.out) : undefined);
  const shown = relative(process.cwd(), file);
  process.stdout.write(`${shown.startsWith('..') ? file : shown} (${readFileSync(file).length} bytes)\n`);
}
