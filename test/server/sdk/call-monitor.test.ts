// The active speaker's hold times and the network quality's hysteresis, with mocked timers: the
// CallMonitor polls a scripted topology every POLL_MS and the tests read the events it fires.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, it, mock } from 'node:test';
import { createNanoEvents } from 'nanoevents';
import { CallMonitor, INTEREST_MS, POLL_MS, type MonitorSource } from '../../../src/sdk/conference/call-monitor.js';
import type { ConferenceEvents } from '../../../src/sdk/conference/events.js';
import { loadCallExtras } from '../../../src/sdk/conference/load-call-extras.js';
import type { MediaStats, UplinkStats } from '../../../src/sdk/conference/media-stats.js';
import {
  IMPROVE_MS,
  LOST_MS,
  QualityMeter,
  WINDOW_MS,
  WORSEN_MS,
  classify,
} from '../../../src/sdk/conference/network-quality.js';
import { ENTER_MS, HOLD_MS, SpeakerDetector } from '../../../src/sdk/conference/speaker-detector.js';

const LOUD = 0.3;
const QUIET = 0.001;

/** One scripted participant: what its next readings show. */
interface Profile {
  level: number;
  /** Packets per second arriving (a remote) or sent (this page). */
  pps: number;
  /** Share of packets lost from now on. */
  loss: number;
  rtt: number;
  jitter: number;
  /** Packets arrive (false: the path is cut). */
  flowing: boolean;
  disconnected: boolean;
  received: number;
  lost: number;
}

const profile = (over: Partial<Profile> = {}): Profile => ({
  level: QUIET,
  pps: 100,
  loss: 0,
  rtt: 20,
  jitter: 5,
  flowing: true,
  disconnected: false,
  received: 0,
  lost: 0,
  ...over,
});

/** A topology whose stats follow the profiles, advancing the counters at each reading. */
class ScriptedTopology {
  readonly people = new Map<string, Profile>();
  reads = 0;

  private advance(p: Profile): void {
    if (!p.flowing) return;
    const n = (p.pps * POLL_MS) / 1000;
    p.lost += Math.round(n * p.loss);
    p.received += n - Math.round(n * p.loss);
  }

  async statsFor(uid: string): Promise<MediaStats | undefined> {
    this.reads++;
    const p = this.people.get(uid);
    if (!p) return undefined;
    this.advance(p);
    return {
      bitrate: 0,
      packetsLost: p.lost,
      packetsReceived: p.received,
      rtt: p.rtt,
      jitter: p.jitter,
      framesDecoded: 0,
      audioLevel: p.flowing ? p.level : 0,
      disconnected: p.disconnected,
    };
  }

  async localStats(): Promise<UplinkStats | undefined> {
    const p = this.people.get('me');
    if (!p) return undefined;
    this.advance(p);
    return {
      packetsSent: p.received + p.lost,
      fractionLost: p.loss,
      rtt: p.rtt,
      jitter: p.jitter,
      bytesReceived: p.flowing ? p.received * 100 : p.received,
      audioLevel: p.level,
      disconnected: p.disconnected,
    };
  }
}

type Fired = [string, unknown];

function setup(options: { listen?: boolean } = {}) {
  let topology = new ScriptedTopology();
  const muted = new Set<string>();
  const fired: Fired[] = [];
  const listeners = {
    onActiveSpeakerChanged: null as unknown,
    onNetworkQualityChanged: null as unknown,
    events: createNanoEvents<ConferenceEvents>(),
  };
  if (options.listen !== false) listeners.onActiveSpeakerChanged = () => undefined;
  const monitor = new CallMonitor((name, evt) => fired.push([name, evt]), listeners);
  const source: MonitorSource = {
    selfUid: 'me',
    topology: () => topology,
    remotes: () => [...topology.people.keys()].filter((uid) => uid !== 'me'),
    muted: (uid) => muted.has(uid),
    videoExpected: () => true,
  };
  monitor.start(source);
  return {
    monitor,
    fired,
    muted,
    listeners,
    get topology() {
      return topology;
    },
    /** Another topology (the room moved to the SFU): the same people, counters from zero. */
    switchTopology() {
      const next = new ScriptedTopology();
      for (const [uid, p] of topology.people) next.people.set(uid, { ...p, received: 0, lost: 0 });
      topology = next;
    },
    person(uid: string, over: Partial<Profile> = {}): Profile {
      const p = profile(over);
      topology.people.set(uid, p);
      return p;
    },
    speakers: () => fired.filter(([n]) => n === 'activeSpeakerChanged').map(([, e]) => (e as any).speakers),
    qualities: (uid: string) =>
      fired
        .filter(([n, e]) => n === 'networkQualityChanged' && (e as any).uid === uid)
        .map(([, e]) => (e as any).quality),
  };
}

/** Runs the polls of `ms` of time (a poll's reading resolves before the next one starts). */
async function run(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += POLL_MS) {
    mock.timers.tick(POLL_MS);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// The readings' code loads on the first poll that wants it: loaded here first, so each poll reads at once.
before(() => loadCallExtras());
beforeEach(() => mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 }));
afterEach(() => mock.timers.reset());

describe('CallMonitor: the active speaker', () => {
  it('a blip does not enter; loud for ENTER_MS does; a pause shorter than HOLD_MS keeps it; longer drops it', async () => {
    const t = setup();
    const bob = t.person('bob');
    t.person('me');

    bob.level = LOUD;
    await run(POLL_MS);
    bob.level = QUIET;
    await run(HOLD_MS + POLL_MS);
    assert.deepEqual(t.speakers(), [], 'one loud reading is a blip');

    bob.level = LOUD;
    await run(POLL_MS);
    assert.deepEqual(t.speakers(), [], 'not yet loud for long enough');
    await run(Math.max(POLL_MS, ENTER_MS));
    assert.deepEqual(t.speakers(), [['bob']]);
    assert.deepEqual(t.monitor.activeSpeakers, ['bob']);

    bob.level = QUIET;
    await run(POLL_MS);
    assert.deepEqual(t.speakers(), [['bob']], 'held through a pause');
    bob.level = LOUD;
    await run(POLL_MS);
    bob.level = QUIET;
    await run(HOLD_MS - POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['bob'], 'a word in the pause renews the hold');
    await run(2 * POLL_MS);
    assert.deepEqual(t.speakers(), [['bob'], []], 'gone after HOLD_MS of quiet');
  });

  it('the newest speaker takes the top; this page counts; a muted participant leaves at once and never enters', async () => {
    const t = setup();
    t.person('bob', { level: LOUD });
    const me = t.person('me');
    await run(3 * POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['bob']);

    me.level = LOUD;
    await run(3 * POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['me', 'bob'], 'the newest speaker first, the local uid included');

    t.muted.add('bob');
    await run(POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['me'], 'muted: out at once, no hold');
    await run(5 * POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['me'], 'a muted microphone never speaks, whatever the level says');

    t.muted.delete('bob');
    await run(3 * POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['bob', 'me']);

    t.topology.people.delete('bob');
    await run(POLL_MS);
    assert.deepEqual(t.monitor.activeSpeakers, ['me'], 'a participant who left');

    t.monitor.stop();
    assert.deepEqual(t.speakers().at(-1), [], 'stopping empties the list and says so');
  });

  it('two who start together: the louder first; the order then stays while both speak', () => {
    const detector = new SpeakerDetector();
    const present = new Set(['a', 'b']);
    let now = 0;
    const poll = (a: number, b: number) =>
      detector.update(
        (now += POLL_MS),
        new Map([
          ['a', a],
          ['b', b],
        ]),
        present,
      );
    poll(0.1, 0.5);
    assert.deepEqual(poll(0.1, 0.5), ['b', 'a']);
    assert.equal(poll(0.6, 0.1), undefined, 'no change while both keep speaking');
  });

  it('polls only while someone listens or read the result lately', async () => {
    const t = setup({ listen: false });
    t.person('bob', { level: LOUD });
    await run(5 * POLL_MS);
    assert.equal(t.topology.reads, 0, 'nobody listens: no getStats');

    const off = t.listeners.events.on('activeSpeakerChanged', () => undefined);
    await run(3 * POLL_MS);
    assert.ok(t.topology.reads > 0);
    assert.deepEqual(t.speakers(), [['bob']]);
    off();

    const reads = t.topology.reads;
    await run(3 * POLL_MS);
    assert.equal(t.topology.reads, reads, 'the listener left: no more getStats');

    assert.deepEqual(t.monitor.activeSpeakers, ['bob'], 'the last list');
    await run(INTEREST_MS);
    assert.ok(t.topology.reads > reads, 'reading the getter keeps the polls going');
    const later = t.topology.reads;
    await run(3 * POLL_MS);
    assert.equal(t.topology.reads, later, '… for INTEREST_MS');
  });
});

describe('CallMonitor: network quality', () => {
  it('counts loss over the window, not totals; worse after WORSEN_MS, better only after IMPROVE_MS', async () => {
    const t = setup();
    // A connection that lost many packets before the monitor started (totals) but loses none now.
    const bob = t.person('bob', { lost: 5_000, received: 10_000 });
    await run(WINDOW_MS);
    assert.equal(t.monitor.quality('bob'), 'excellent');

    bob.loss = 0.1;
    await run(POLL_MS);
    assert.equal(t.monitor.quality('bob'), 'excellent', 'one bad reading is not news');
    await run(WORSEN_MS + POLL_MS);
    assert.equal(t.monitor.quality('bob'), 'poor');

    bob.loss = 0;
    await run(WINDOW_MS);
    assert.equal(t.monitor.quality('bob'), 'poor', 'better only after IMPROVE_MS');
    await run(IMPROVE_MS);
    assert.equal(t.monitor.quality('bob'), 'excellent');
    assert.deepEqual(t.qualities('bob'), ['poor', 'excellent']);
  });

  it('a level flapping from reading to reading stays put', async () => {
    const t = setup();
    const bob = t.person('bob');
    for (let i = 0; i < 20; i++) {
      bob.rtt = i % 2 ? 20 : 500;
      await run(POLL_MS);
    }
    assert.deepEqual(t.qualities('bob'), []);
  });

  it('RTT and jitter bands', () => {
    assert.equal(classify(0, 100, 10), 'excellent');
    assert.equal(classify(0.03, 100, 10), 'good');
    assert.equal(classify(0, 200, 10), 'good');
    assert.equal(classify(0, 100, 45), 'good');
    assert.equal(classify(0, 400, 10), 'poor');
    assert.equal(classify(0.08, 20, 5), 'poor');
    assert.equal(classify(0, 20, 80), 'poor');
  });

  it('lost after LOST_MS of nothing while the participant sends, back at once when media flows; ICE down is lost', async () => {
    const t = setup();
    const bob = t.person('bob');
    await run(2 * POLL_MS);

    bob.flowing = false;
    await run(LOST_MS - POLL_MS);
    assert.equal(t.monitor.quality('bob'), 'excellent', 'not yet');
    await run(2 * POLL_MS);
    assert.equal(t.monitor.quality('bob'), 'lost');

    bob.flowing = true;
    await run(POLL_MS);
    assert.notEqual(t.monitor.quality('bob'), 'lost', 'media flows again: no longer lost');

    await run(IMPROVE_MS + WINDOW_MS);
    assert.equal(t.monitor.quality('bob'), 'excellent');
    bob.disconnected = true;
    await run(POLL_MS);
    assert.equal(t.monitor.quality('bob'), 'lost', 'ICE disconnected');
    assert.deepEqual(t.qualities('bob').at(-1), 'lost');
  });

  it('silence from a participant that sends nothing (no microphone, video paused) is not lost', () => {
    const meter = new QualityMeter();
    let now = 0;
    const reading = (packets: number) => ({
      packets,
      lost: 0,
      rtt: 10,
      jitter: 1,
      arrived: packets,
      expected: false,
      disconnected: false,
    });
    for (let i = 0; i < 20; i++) meter.update((now += POLL_MS), reading(100));
    assert.equal(meter.level, 'excellent');
  });

  it("this page's own uid is its uplink: the receivers' loss, RTT, and nothing coming back", async () => {
    const t = setup();
    const me = t.person('me');
    await run(2 * POLL_MS);
    assert.equal(t.monitor.quality('me'), 'excellent');
    assert.equal(t.monitor.quality('nobody'), undefined, 'not in the conference');

    me.rtt = 400;
    await run(WORSEN_MS + POLL_MS);
    assert.equal(t.monitor.quality('me'), 'poor');

    me.flowing = false;
    await run(LOST_MS + POLL_MS);
    assert.equal(t.monitor.quality('me'), 'lost');
    assert.deepEqual(t.qualities('me'), ['poor', 'lost']);
  });

  it('a move to another topology (counters from zero) is no loss and no outage', async () => {
    const t = setup();
    t.person('bob');
    await run(WINDOW_MS);
    t.switchTopology();
    await run(WINDOW_MS);
    assert.deepEqual(t.qualities('bob'), []);
    assert.equal(t.monitor.quality('bob'), 'excellent');
  });
});
