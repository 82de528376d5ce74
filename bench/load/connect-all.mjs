// Signs in and connects a row's users from the client processes (not what C2–C4 measure).
import { share, sourceAddresses } from './workers.mjs';

/** Gives each client process its share of `uids`, signs them in and opens their sockets. */
export async function connectAll(clients, server, uids, { addressesPerWorker = 20 } = {}) {
  const W = clients.workers.length;
  const shares = share(uids, W);
  await clients.all('setup', (w) => ({ uids: shares[w], localAddresses: sourceAddresses(w, addressesPerWorker) }));
  const logins = await clients.all('login', { url: server.url, appToken: server.token, concurrency: 16 });
  const loginFailures = logins.reduce((a, r) => a + r.failures, 0);
  if (loginFailures > 0)
    throw new Error(`${loginFailures} logins failed: ${logins.flatMap((r) => r.failureSamples)[0]}`);
  const connects = await clients.all('connect', { url: server.url, concurrency: 64, startAt: Date.now() });
  const open = connects.reduce((a, r) => a + r.open, 0);
  if (open !== uids.length)
    throw new Error(`${uids.length - open} sockets did not open: ${connects.flatMap((r) => r.failureSamples)[0]}`);
  return { shares, open };
}
