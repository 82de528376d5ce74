import type { AddressInfo } from 'node:net';

/**
 * The origin of the server's configured public URL (`--public-url`, `OOVOO_PUBLIC_URL`,
 * `ServerOptions.publicUrl`): http or https, scheme, host and port only. Throws an Error that
 * says what is wrong, for the CLI and createServer to show.
 */
export function parsePublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`the public URL ${JSON.stringify(raw)} is not a URL (e.g. https://chat.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`the public URL must be http or https, not ${url.protocol}`);
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error('the public URL is an origin only: scheme, host and port (e.g. https://chat.example.com)');
  }
  return url.origin;
}

/** http://host:port of the listening socket; a wildcard address is named localhost, as the CLI prints it. */
export function listeningOrigin(address: string | AddressInfo | null): string {
  if (!address || typeof address === 'string')
    throw new Error('the server is not listening on a TCP port, so mail links have no address');
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
