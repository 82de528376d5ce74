// The cost of one session token issue and one verify (jose HS256), measured in this process: part of
// what a login and a socket upgrade cost the server, to tell which side limits the connect rate.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export async function tokenCosts(count = 2000) {
  try {
    const { SessionTokens } = await import('../../src/server/session-tokens.ts');
    const tokens = new SessionTokens(randomBytes(32), 3600);
    // appToken: the issuing app token's id, which newer servers put in every session (older ones ignore it).
    const input = { app: 'bench-app', uid: 'bench-user', env: 'production', tt: 'web', appToken: 'benchAppToken001' };
    const issued = [];
    let t0 = performance.now();
    for (let i = 0; i < count; i++) issued.push(await tokens.issue({ ...input, uid: `bench-user-${i}` }));
    const issueUs = ((performance.now() - t0) * 1000) / count;
    t0 = performance.now();
    for (const token of issued) await tokens.verify(token);
    const verifyUs = ((performance.now() - t0) * 1000) / count;
    return { tokens: count, issueMicroseconds: Math.round(issueUs), verifyMicroseconds: Math.round(verifyUs), note: 'measured in the orchestrator process, one core' };
  } catch (e) {
    return { error: `not measured: ${String(e?.message ?? e).slice(0, 200)}` };
  }
}
