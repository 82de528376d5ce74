// `npm run bench:sfu`: rooms through Janus beside the mesh, on this machine, in one run.
// (a) from the user's "join" to the first decoded frame of every other participant, 2 and 4 people,
//     mesh and SFU interleaved (as bench:join measures it: the same page clock, the SDK's defaults);
// (b) the largest room where every page decodes at least 10 fps from every other at the SDK's
//     smallest resolution (NORMAL, 352x288, 10-15 fps): pages added one at a time, mesh and SFU;
// (c) one publisher to N receive-only werift subscribers through the broker modules, N raised until
//     more than 1% of packets are lost or Janus saturates a core: Janus CPU and RSS per stream.
// Runs inside scripts/netns-veth.sh (Janus gathers ICE only on the veth `va`). JSON in
// bench/results/sfu.json.
//
//   npm run bench:sfu               (builds dist/ first; RUNS=5 by default, about 15-25 minutes)
//   npm run bench:sfu -- --quick    (a smoke check of the bench: 2 people, 1 run, 3 pages, 1-2 subscribers)
//   npm run bench:sfu -- --three-layers   (three simulcast layers whatever the source size)
//   npm run bench:sfu -- --only=fanout   (one part: join, capacity or fanout; FANOUT_STEPS=1,5,10 sets the steps)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/helpers/browser.ts';
import { relaxedLimits, startTestServer } from '../test/helpers/server.ts';
import { waitFor } from '../test/helpers/wait.ts';
import { ADMIN_KEY, startTestJanus } from '../test/sfu/janus-fixture.ts';
import { describeMachine, resultHeader } from './lib/machine.mjs';
import { MAX_LOSS, SATURATED_CORES, fanOut } from './lib/sfu-fanout.mjs';
import { CAPACITY_INIT, JOIN_INIT, MIN_FPS, ROOM_PAGE, capacity, joinTimes } from './lib/sfu-rooms.mjs';
import { printTable } from './lib/stats.mjs';

const QUICK = process.argv.includes('--quick');
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7); // join, capacity or fanout
const RUNS = Number(process.env.RUNS ?? (QUICK ? 1 : 5));
const JOIN_SIZES = QUICK ? [2] : [2, 4];
const MAX_PAGES = QUICK ? 3 : 12;
const FPS_WINDOW_MS = QUICK ? 2_000 : 5_000;
const SETTLE_MS = QUICK ? 1_000 : 3_000;
const FANOUT_STEPS = process.env.FANOUT_STEPS?.split(',').map(Number) ?? (QUICK ? [1, 2] : [1, 5, 10, 20, 40, 80, 160]);
const FANOUT_WINDOW_MS = QUICK ? 2_000 : 10_000;
const FANOUT_CAPTURE = { width: 640, height: 480 };
// Chromium as shipped sends as many simulcast layers as the source size allows (one at 352x288, two at
// 640x480); --three-layers forces three even for small sources, as the layer tests do (platform notes).
const THREE_LAYERS = process.argv.includes('--three-layers');
const SIMULCAST_FLAG = '--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/';
const CHROMIUM_ARGS = THREE_LAYERS ? [SIMULCAST_FLAG] : [];
const here = dirname(fileURLToPath(import.meta.url));
const log = (line) => process.stderr.write(`${line}\n`);
const wanted = (part) => !ONLY || ONLY === part;

if (!process.env.OOVOO_NETNS_ICE_INTERFACE) {
  log('bench:sfu runs inside scripts/netns-veth.sh (as root): npm run bench:sfu');
  process.exit(1);
}

/** Two servers on the same machine: rooms in a mesh (up to MAX_PAGES), and rooms on Janus from the first join. */
async function startServers(janus, demoDir) {
  const mesh = await startTestServer({ ...relaxedLimits, demoDir, conference: { meshMax: Math.max(MAX_PAGES, 6) } });
  const sfu = await startTestServer({
    ...relaxedLimits,
    demoDir,
    conference: { sfu: { janusUrl: janus.url, adminKey: ADMIN_KEY, sfuFrom: 1, maxParticipants: 50 } },
  });
  await waitFor(
    () => sfu.conference.sfu?.available ?? false,
    (ok) => ok,
    { what: 'the server connected to Janus', timeoutMs: 10_000 },
  );
  const domains = ['localhost', '127.0.0.1'];
  return [
    { system: 'mesh', server: mesh, app: await mesh.createApp(domains) },
    { system: 'sfu', server: sfu, app: await sfu.createApp(domains) },
  ];
}

async function main() {
  const machine = await describeMachine();
  const dir = mkdtempSync(join(tmpdir(), 'oovoo-bench-sfu-'));
  writeFileSync(join(dir, 'room.html'), ROOM_PAGE);
  const out = { join: null, capacity: null, fanOut: null };
  let janus;
  let setups = [];
  let browser;
  try {
    janus = await startTestJanus();
    setups = await startServers(janus, dir);
    browser = await launchChromium(CHROMIUM_ARGS);
    if (wanted('join')) out.join = await joinTimes({ browser, setups, sizes: JOIN_SIZES, runs: RUNS, log });
    if (wanted('capacity')) {
      out.capacity = [];
      for (const setup of setups)
        out.capacity.push(
          await capacity({
            browser,
            setup,
            maxPages: MAX_PAGES,
            windowMs: FPS_WINDOW_MS,
            settleMs: SETTLE_MS,
            decodeTimeoutMs: 45_000,
            log,
          }),
        );
    }
    if (wanted('fanout'))
      out.fanOut = await fanOut({
        janus,
        adminKey: ADMIN_KEY,
        browser,
        steps: FANOUT_STEPS,
        windowMs: FANOUT_WINDOW_MS,
        capture: FANOUT_CAPTURE,
        log,
      });
  } finally {
    await browser?.close();
    for (const s of setups) await s.server.stop();
    await janus?.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  if (out.join) {
    console.log(`\n(a) "Join" to the first decoded frame of every other participant: medians of ${RUNS} runs`);
    printTable([
      ['participants', 'mesh ms', 'SFU ms', 'SFU / mesh'],
      ...JOIN_SIZES.map((size) => {
        const [mesh, sfu] = ['mesh', 'sfu'].map((s) => out.join.find((r) => r.system === s && r.participants === size));
        return [size, mesh.totalMs, sfu.totalMs, Math.round((sfu.totalMs / mesh.totalMs) * 100) / 100];
      }),
    ]);
  }
  let capacityVerdict = null;
  if (out.capacity) {
    const [mesh, sfu] = out.capacity;
    // An SFU stopped by the cap below twice the mesh is not a failure of the goal: raise MAX_PAGES.
    if (sfu.largestRoom >= 2 * mesh.largestRoom) capacityVerdict = 'met';
    else capacityVerdict = sfu.reachedCap ? 'undecided: the SFU reached the page cap' : 'not met';
    console.log(`\n(b) Largest room with every page decoding ≥ ${MIN_FPS} fps from every other (cap ${MAX_PAGES})`);
    printTable([
      ['topology', 'largest room', 'stopped by'],
      ...out.capacity.map((c) => [c.system, c.largestRoom, c.stoppedBy]),
    ]);
    console.log(`goal SFU ≥ 2 × mesh: ${capacityVerdict}`);
  }
  if (out.fanOut) {
    console.log(`\n(c) One publisher to N werift subscribers through Janus (stopped by ${out.fanOut.stoppedBy})`);
    printTable([
      ['subscribers', 'loss %', 'Janus CPU %', 'CPU %/stream', 'Janus RSS MB', 'RSS KB/stream', 'clients CPU %'],
      ...out.fanOut.rows.map((r) => [
        r.subscribers,
        r.lossPct,
        r.janusCpuPctOfOneCore,
        r.janusCpuPctPerStream,
        r.janusRssMB,
        r.janusRssPerStreamKB,
        r.clientCpuPctOfOneCore,
      ]),
    ]);
  }
  const final = machine.quiet && !QUICK && !ONLY;
  if (!final) console.log('\nnot final: quick or partial run, or a busy machine');

  const file = join(here, 'results', 'sfu.json');
  mkdirSync(dirname(file), { recursive: true });
  const header = resultHeader(machine, QUICK || Boolean(ONLY));
  const result = {
    ...header,
    conditions: {
      ...header.conditions,
      only: ONLY ?? null,
      network:
        'one machine, a network namespace with a veth pair (scripts/netns-veth.sh): Janus gathers ICE on va 198.18.0.1',
      janus: 'Janus from the OS package, VideoRoom plugin, started by test/sfu/janus-fixture.ts (startTestJanus)',
      servers: 'our server twice in the bench process: a mesh server, and one with conference.sfu (sfuFrom 1)',
      browser: `one headless Chromium, one context per participant, fake camera and microphone, ${
        THREE_LAYERS ? SIMULCAST_FLAG : 'simulcast layers as Chromium ships (by source size)'
      }`,
      join: {
        runs: RUNS,
        sizes: JOIN_SIZES,
        init: JOIN_INIT,
        warmUp: 'one uncounted run of each topology per size, first',
        order: 'interleaved: mesh, SFU, mesh, SFU, …',
        clock: 'as bench:join: before ooVooClient.connect, to the last page’s first decoded frame of every other',
      },
      capacity: {
        init: CAPACITY_INIT,
        minFps: MIN_FPS,
        maxPages: MAX_PAGES,
        settleMs: SETTLE_MS,
        windowMs: FPS_WINDOW_MS,
        fps: 'framesDecoded deltas of conference.statsFor(uid) for every (page, remote) pair over the window',
      },
      fanOut: {
        publisher: `a Chromium page, fake camera ${FANOUT_CAPTURE.width}x${FANOUT_CAPTURE.height} at 15 fps, one layer, audio and video`,
        subscribers:
          'werift 0.24 RTCPeerConnections in the bench process, one per subscriber, through VideoRoomSubscriber',
        steps: FANOUT_STEPS,
        windowMs: FANOUT_WINDOW_MS,
        loss: 'distinct RTP sequence numbers received / expected over the window, audio and video, every subscriber',
        stopAt: `loss > ${MAX_LOSS * 100}% or Janus CPU ≥ ${SATURATED_CORES * 100}% of one core (or the clients saturated)`,
        cpu: 'utime+stime deltas of /proc/<janus pid>/stat; RSS from /proc/<pid>/status VmRSS',
      },
    },
    goal: 'the largest room on the SFU at least twice the mesh’s',
    verdict: capacityVerdict,
    join: out.join,
    capacity: out.capacity,
    fanOut: out.fanOut,
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written ${file}`);
  process.exit(0);
}

await main();
