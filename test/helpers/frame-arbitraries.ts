/**
 * fast-check arbitraries of client frames for the frame fuzzer (test/server/fuzz-frames.test.ts):
 * each routed frame type built from its shape, then bent: fields of the wrong type, missing or
 * extra (`__proto__`, `constructor`), huge and odd strings, deep nesting, random ids.
 *
 * Push endpoints are only ever loopback or private IP literals (or `localhost`) and strings that
 * are not URLs: a server that resolves or connects to an endpoint stays on this machine.
 */
import fc from 'fast-check';
import { REACTIONS } from '../../src/protocol/index.js';

/** Who and where frames name, so that some of them reach real users and rooms. */
export interface FuzzWorld {
  readonly uids: readonly string[];
  readonly rooms: readonly string[];
}

/** Strings a validator may trip on: control and bidi characters, lone surrogates, markup, paths. */
const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '𝕏😀',
  'é'.normalize('NFD'),
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; DROP TABLE messages; --",
  '%00',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
];

/** Strings of every kind, from empty to past the 64 KB frame limit. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      maxLength: 8,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 60, max: 70_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', '"'))
      .map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
  },
);

/** An object whose own keys include a prototype name (JSON keeps `__proto__` as a plain key). */
const protoObject: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }))
  .map(([key, value]) => {
    const o: Record<string, unknown> = {};
    Object.defineProperty(o, key, {
      value: key === '__proto__' ? { polluted: true, value } : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return o;
  });

/** Arrays or objects nested up to a few thousand levels. */
const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 10, max: 3000 }), fc.boolean())
  .map(([depth, asArray]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
    return value;
  });

/** Any value a field may be given instead of the right one. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 53), 1e308, -1e308, true, false, null),
  fc.array(oddString, { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  protoObject,
  deepValue,
);

/** A request id: absent, usable, or not one (wrong type, empty, too long). */
const requestId: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(65), 'x'.repeat(1000)) },
  { weight: 1, arbitrary: oddValue },
);

type Shape = Record<string, fc.Arbitrary<unknown>>;

/**
 * A record of `shape` (keys in `required` always present, the others sometimes), then up to three
 * mutations: a field replaced by an odd value, a field removed, an extra field added.
 */
export function bentRecord(shape: Shape, required: readonly string[]): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(shape);
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('wrong' as const), key: fc.constantFrom(...keys), value: oddValue }),
    fc.record({ kind: fc.constant('missing' as const), key: fc.constantFrom(...keys) }),
    fc.record({
      kind: fc.constant('extra' as const),
      key: fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'then'),
        fc.string({ maxLength: 20 }),
      ),
      value: oddValue,
    }),
  );
  const record = fc.record(shape, { requiredKeys: required as string[] });
  return fc.tuple(record, fc.array(mutation, { maxLength: 3 }), fc.nat(3)).map(([base, mutations, keep]) => {
    const out: Record<string, unknown> = { ...base };
    // Roughly one frame in four goes as built (valid, or nearly): those reach the handlers.
    for (const m of keep === 0 ? [] : mutations) {
      if (m.kind === 'missing') delete out[m.key];
      else Object.defineProperty(out, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  });
}

/** The frame's `t` and (maybe) `id`, then the rest bent as one record. */
function frame(
  type: string,
  shape: Shape,
  required: readonly string[],
  idRequired: boolean,
): fc.Arbitrary<Record<string, unknown>> {
  const withId: Shape = { t: fc.constant(type), id: requestId, ...shape };
  return bentRecord(withId, ['t', ...(idRequired ? ['id'] : []), ...required]);
}

const base64url = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('base64url'));

/** Loopback, private and link-local IP literals, and localhost: nothing that needs DNS or leaves the machine. */
const localEndpoint = fc
  .tuple(
    fc.constantFrom('https', 'http', 'ftp'),
    fc.constantFrom('127.0.0.1', '[::1]', 'localhost', '10.0.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '[::]'),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    fc.string({ maxLength: 30 }),
  )
  .map(
    ([scheme, host, port, path]) =>
      `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${encodeURIComponent(path)}`,
  );

/**
 * The shape of every client frame type the server routes, as valid-ish values before bending.
 * A type missing here fails the fuzzer's coverage check.
 */
export function frameShapes(world: FuzzWorld): Record<string, fc.Arbitrary<Record<string, unknown>>> {
  const uid = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...world.uids) }, { weight: 1, arbitrary: oddString });
  const room = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...world.rooms) }, { weight: 1, arbitrary: oddString });
  const uids = fc.array(uid, { minLength: 1, maxLength: 5 });
  const text = fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), oddString);
  const description = bentRecord({ type: fc.constantFrom('offer', 'answer'), sdp: fc.string({ maxLength: 200 }) }, [
    'type',
    'sdp',
  ]);
  const candidate = bentRecord(
    {
      candidate: fc.string({ maxLength: 100 }),
      sdpMid: fc.string({ maxLength: 8 }),
      sdpMLineIndex: fc.nat(8),
      usernameFragment: fc.string({ maxLength: 16 }),
    },
    ['candidate'],
  );
  const subscription = bentRecord(
    {
      endpoint: fc.oneof(localEndpoint, oddString),
      expirationTime: fc.oneof(fc.constant(null), fc.nat()),
      keys: bentRecord(
        {
          p256dh: fc.oneof(base64url(65), fc.string({ maxLength: 20 })),
          auth: fc.oneof(base64url(16), fc.string({ maxLength: 20 })),
        },
        ['p256dh', 'auth'],
      ),
    },
    ['endpoint', 'keys'],
  );
  const ts = fc.oneof(fc.integer(), fc.double());
  return {
    ping: frame('ping', { ts }, ['ts'], false),
    pong: frame('pong', { ts }, ['ts'], false),
    'conf.join': frame(
      'conf.join',
      {
        conf: room,
        uid,
        userData: fc.string({ maxLength: 100 }),
        instance: fc.string({ minLength: 8, maxLength: 64 }),
      },
      ['conf', 'uid', 'instance'],
      false,
    ),
    'conf.leave': frame('conf.leave', { conf: room }, ['conf'], false),
    'conf.signal': frame('conf.signal', { conf: room, to: uid, description, candidate }, ['conf', 'to'], false),
    'conf.video': frame(
      'conf.video',
      { conf: room, state: fc.constantFrom('PLAY', 'PAUSED') },
      ['conf', 'state'],
      false,
    ),
    'conf.audio': frame('conf.audio', { conf: room, muted: fc.boolean() }, ['conf', 'muted'], false),
    'conf.hand': frame('conf.hand', { conf: room, raised: fc.boolean() }, ['conf', 'raised'], false),
    'conf.share': frame('conf.share', { conf: room, active: fc.boolean() }, ['conf', 'active'], false),
    'conf.reaction': frame(
      'conf.reaction',
      { conf: room, reaction: fc.oneof(fc.constantFrom(...REACTIONS), text) },
      ['conf', 'reaction'],
      false,
    ),
    'conf.receive': frame('conf.receive', { conf: room, to: uid, video: fc.boolean() }, ['conf', 'to', 'video'], false),
    'conf.data': frame(
      'conf.data',
      { conf: room, to: fc.oneof(fc.constant(''), uid), data: text },
      ['conf', 'to', 'data'],
      false,
    ),
    // Hosts and the lobby: refused (-35001) for the fuzzer, a participant; shapes keep the schemas honest.
    'conf.host.mute': frame('conf.host.mute', { conf: room, uid }, ['conf', 'uid'], false),
    'conf.host.video': frame('conf.host.video', { conf: room, uid }, ['conf', 'uid'], false),
    'conf.host.remove': frame('conf.host.remove', { conf: room, uid, reason: text }, ['conf', 'uid'], false),
    'conf.host.lock': frame('conf.host.lock', { conf: room, locked: fc.boolean() }, ['conf', 'locked'], false),
    'conf.host.lobby': frame('conf.host.lobby', { conf: room, enabled: fc.boolean() }, ['conf', 'enabled'], false),
    'conf.host.admit': frame('conf.host.admit', { conf: room, uid }, ['conf', 'uid'], false),
    'conf.host.deny': frame('conf.host.deny', { conf: room, uid, reason: text }, ['conf', 'uid'], false),
    'conf.lobby.leave': frame('conf.lobby.leave', { conf: room }, ['conf'], false),
    'msg.send': frame(
      'msg.send',
      {
        cid: fc.string({ minLength: 1, maxLength: 64 }),
        to: uids,
        body: text,
        from: uid,
        app: fc.string({ maxLength: 64 }),
        // Well-formed ids of files nobody uploaded, and malformed ones: refused either way, nothing stored.
        files: fc.array(
          fc.record(
            { id: fc.oneof(fc.stringMatching(/^f_[A-Za-z0-9_-]{32}$/), fc.string()), thumb: fc.string() },
            { requiredKeys: ['id'] },
          ),
          { maxLength: 12 },
        ),
      },
      ['to', 'body'],
      true,
    ),
    'msg.receipt': frame(
      'msg.receipt',
      {
        to: uids,
        msg_id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 64 })),
        state: fc.constantFrom('Delivered', 'Read'),
      },
      ['to', 'msg_id', 'state'],
      true,
    ),
    'msg.received': frame(
      'msg.received',
      { ids: fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 20 }) },
      ['ids'],
      false,
    ),
    'msg.typing': frame('msg.typing', { to: uids, typing: fc.boolean() }, ['to', 'typing'], false),
    'msg.history': frame(
      'msg.history',
      {
        with: uid,
        group: uids,
        before: fc.oneof(fc.constant('1700000000000.1.x'), oddString),
        limit: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double()),
      },
      [],
      true,
    ),
    'msg.conversations': frame(
      'msg.conversations',
      {
        before: fc.oneof(fc.constant('1700000000000.1.x'), oddString),
        limit: fc.oneof(fc.integer({ min: -5, max: 120 }), fc.double()),
      },
      [],
      true,
    ),
    'msg.delete': frame(
      'msg.delete',
      { msg_id: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 64 })) },
      ['msg_id'],
      true,
    ),
    'conf.history': frame(
      'conf.history',
      {
        conf: room,
        before: fc.oneof(fc.constant('1700000000000.1.x'), oddString),
        limit: fc.integer({ min: -5, max: 120 }),
      },
      ['conf'],
      true,
    ),
    'push.key': frame('push.key', {}, [], true),
    'push.register': frame('push.register', { subscription }, ['subscription'], true),
    'push.unregister': frame('push.unregister', { endpoint: fc.oneof(localEndpoint, oddString) }, ['endpoint'], true),
    'push.send': frame(
      'push.send',
      { to: uids, body: text, property: fc.string({ maxLength: 100 }) },
      ['to', 'body'],
      true,
    ),
  };
}

/** A frame that is no routed type: an unknown or odd `t`, or JSON that is no object at all. */
export const strayFrame: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ t: oddValue, id: requestId }, { requiredKeys: [] }),
  fc.record({
    t: fc.constantFrom(
      'welcome',
      'ack',
      'error',
      'msg.deliver',
      'conf.joined',
      'TOSTRING',
      'hasOwnProperty',
      '__proto__',
    ),
    id: requestId,
  }),
  fc.jsonValue({ maxDepth: 3 }),
  protoObject,
  deepValue,
);
