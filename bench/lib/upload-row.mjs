// bench:messaging's upload row: a chat file's upload and download through POST/GET /1.0/files,
// by Node's fetch (as a page's SDK would) beside plain curl doing the same against the same server.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { round, summary } from './stats.mjs';
import { login } from './ws-client.mjs';

const run = promisify(execFile);
const MB = 1024 * 1024;
/** The bench app's permitted domain (server-main.mjs): a web session token is honoured from there only. */
const ORIGIN = 'http://localhost';

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

/** curl's path, or an error that says how to get it (the benches install no system package themselves). */
async function findCurl() {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v curl']);
    return stdout.trim();
  } catch {
    throw new Error('bench: the upload row compares with curl, which is not installed (apt-get install curl)');
  }
}

/** Runs curl and returns its own measure of the transfer (`time_total`, ms), checking the HTTP status. */
async function curl(path, args, status) {
  const { stdout } = await run(path, ['-sS', '-w', '%{http_code} %{time_total}', ...args], { maxBuffer: 4 * MB });
  const [code, seconds] = stdout.trim().split(/\s+/).slice(-2);
  if (Number(code) !== status) throw new Error(`bench: curl got HTTP ${code}, not ${status}: ${stdout.slice(0, 200)}`);
  return Number(seconds) * 1000;
}

/** p50 and max of the runs, and the p50's throughput. */
function timing(ms, bytes) {
  const { p50, max } = summary(ms);
  return { runs: ms.length, p50Ms: p50, maxMs: max, mbPerSec: round(bytes / MB / (p50 / 1000)) };
}

/**
 * `bytes` of random data (10 MB, the default largest file) uploaded and downloaded `runs` times
 * each through the server's file endpoints by Node's fetch, then the same by curl
 * (`--data-binary @file`, `-o file`) against the same server, with the ratio ours/curl of the p50
 * times. Every download must hash as the upload did. `server`: a startServerProcess() server.
 * Returns { result, table }: the JSON for the results file and rows for printTable.
 */
export async function uploadRow(server, { bytes = 10 * MB, runs = 5 } = {}) {
  const curlPath = await findCurl();
  const token = await login(server.url, server.token, 'bench-upload');
  const auth = { authorization: `Bearer ${token}`, origin: ORIGIN };
  const data = randomBytes(bytes);
  const hash = sha256(data);
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-bench-upload-'));
  const file = join(dir, 'upload.bin');
  writeFileSync(file, data);
  const uploadUrl = (name) => `${server.url}/1.0/files?with=bench-peer&name=${name}`;
  const times = { fetchUp: [], fetchDown: [], curlUp: [], curlDown: [] };
  let mismatches = 0;
  try {
    const headers = ['-H', `Authorization: Bearer ${token}`, '-H', `Origin: ${ORIGIN}`];
    // Interleaved, so a warm-up or a busy moment of the machine falls on both alike.
    for (let i = 0; i < runs; i++) {
      let started = performance.now();
      const response = await fetch(uploadUrl(`fetch-${i}.bin`), { method: 'POST', headers: auth, body: data });
      const answer = await response.json();
      times.fetchUp.push(performance.now() - started);
      if (response.status !== 201)
        throw new Error(`bench: upload answered ${response.status}: ${JSON.stringify(answer)}`);

      started = performance.now();
      const got = await fetch(`${server.url}/1.0/files/${answer.id}`, { headers: auth });
      const body = Buffer.from(await got.arrayBuffer());
      times.fetchDown.push(performance.now() - started);
      if (got.status !== 200 || sha256(body) !== hash) mismatches++;

      const answerFile = join(dir, `answer-${i}.json`);
      const up = [...headers, '-H', 'Content-Type: application/octet-stream', '--data-binary', `@${file}`];
      times.curlUp.push(await curl(curlPath, [...up, '-o', answerFile, uploadUrl(`curl-${i}.bin`)], 201));
      const { id } = JSON.parse(readFileSync(answerFile, 'utf8'));
      const out = join(dir, `download-${i}.bin`);
      times.curlDown.push(await curl(curlPath, [...headers, '-o', out, `${server.url}/1.0/files/${id}`], 200));
      if (sha256(readFileSync(out)) !== hash) mismatches++;
      rmSync(out);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const result = {
    bytes,
    sha256: hash,
    intact: mismatches === 0,
    mismatches,
    upload: { fetch: timing(times.fetchUp, bytes), curl: timing(times.curlUp, bytes) },
    download: { fetch: timing(times.fetchDown, bytes), curl: timing(times.curlDown, bytes) },
  };
  const ratio = (kind) => round(result[kind].fetch.p50Ms / result[kind].curl.p50Ms, 2);
  result.upload.oursOverCurl = ratio('upload');
  result.download.oursOverCurl = ratio('download');
  const line = (kind) => {
    const { fetch: ours, curl: theirs, oursOverCurl } = result[kind];
    return [
      `${kind} ${round(bytes / MB)} MB`,
      ours.p50Ms,
      ours.maxMs,
      ours.mbPerSec,
      theirs.p50Ms,
      theirs.maxMs,
      theirs.mbPerSec,
      oursOverCurl,
      result.intact ? 'same sha256' : `${mismatches} differ`,
    ];
  };
  const table = [
    ['file', 'ours p50 ms', 'ours max', 'ours MB/s', 'curl p50 ms', 'curl max', 'curl MB/s', 'ours/curl', 'bytes'],
    line('upload'),
    line('download'),
  ];
  return { result, table };
}
