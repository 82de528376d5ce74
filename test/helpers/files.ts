import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { readBody } from './server.js';

/** Helpers of the chat files tests (test/server/files*.test.ts): sample contents and the two HTTP calls. */

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG of `width` x 1 grey pixels (a few hundred bytes to many KB). */
export function samplePng(width = 64): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(1, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const pixels = Buffer.concat([Buffer.from([0]), Buffer.alloc(width, 0x80)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small PDF with some binary bytes after its header (as real ones have). */
export function samplePdf(pad = 2000): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n', 'latin1'),
    Buffer.from(Array.from({ length: pad }, (_, i) => (i * 37) % 256)),
    Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  ]);
}

export const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
export const SVG = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
);

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** `POST /1.0/files?<query>` with the token (null: no Authorization) from `origin` (null: none). */
export async function uploadFile(
  baseUrl: string,
  token: string | null,
  query: string,
  body: Buffer | ReadableStream<Uint8Array>,
  opts: { origin?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const origin = opts.origin === undefined ? 'http://localhost' : opts.origin;
  const response = await fetch(`${baseUrl}/1.0/files?${query}`, {
    method: 'POST',
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(origin === null ? {} : { origin }),
      ...opts.headers,
    },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, body: await readBody(response), headers: response.headers };
}

/** `GET /1.0/files/<id>`: the bytes on success, else the parsed error. */
export async function downloadFile(
  baseUrl: string,
  token: string | null,
  id: string,
  opts: { origin?: string | null } = {},
): Promise<Answer & { bytes?: Buffer }> {
  const origin = opts.origin === undefined ? 'http://localhost' : opts.origin;
  const response = await fetch(`${baseUrl}/1.0/files/${id}`, {
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(origin === null ? {} : { origin }),
    },
  });
  if (response.status !== 200)
    return { status: response.status, body: await readBody(response), headers: response.headers };
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: 200, body: undefined, bytes, headers: response.headers };
}
