// The cost of one session token issue and one verify (jose HS256), measured in this process: part of
// what a login and a socket upgrade cost the server, to tell which side limits the connect rate.
import { randomBytes } from 'node:crypto';

export async function tokenCosts(count = 2000) {
  try {
    const { SessionTokens } = await import('../../src/server/session-tokens.ts');
    const tokens = new SessionTokens(randomBytes(32), 3600);
    // appToken: the issuing app token's id, which newer servers put in every session (older ones ignore it).
    const input = { app: 'bench-app', uid: 'bench-user', env: 'production', tt: 'web', appToken: 'benchAppToken001' };
    const issued = [];
    // CPU time (user + system) rather than wall time: a busy machine then changes it little.
    const cpuUs = () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    };
    let t0 = cpuUs();
    for (let i = 0; i < count; i++) issued.push(await tokens.issue({ ...input, uid: `bench-user-${i}` }));
    const issueUs = (cpuUs() - t0) / count;
    t0 = cpuUs();
    for (const token of issued) await tokens.verify(token);
    const verifyUs = (cpuUs() - t0) / count;
    return {
      tokens: count,
      issueCpuMicroseconds: Math.round(issueUs),
      verifyCpuMicroseconds: Math.round(verifyUs),
      note: 'CPU time per token in the orchestrator process (jose HS256, the server’s SessionTokens)',
    };
  } catch (e) {
    return { error: `not measured: ${String(e?.message ?? e).slice(0, 200)}` };
  }
}
