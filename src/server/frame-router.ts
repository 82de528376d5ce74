import { ErrorCode, MAX_FRAME_ID_LENGTH, errorInfo, validate, type Check } from '../protocol/index.js';
import { ApiError } from './api-error.js';
import type { ClientConnection } from './connections.js';
import type { Peer } from './peer.js';

type LogError = (error: unknown, message: string) => void;

/**
 * Routes a client frame to the module that owns its type (`t`), after checking it against that
 * type's schema. A handler's return value answers a frame that carried an `id` with
 * `{ t: 'ack', id, result }`; a thrown ApiError answers `{ t: 'error', id, error }`. Nothing a
 * client sends can throw out of here.
 */
export type FrameHandler<T, C extends Peer = ClientConnection> = (connection: C, frame: T) => unknown;

export type ConnectionHook<C extends Peer = ClientConnection> = (connection: C) => void;

/** Takes every frame whose type starts with a prefix, before any route (the conference gateway between nodes). */
export type FrameDelegate<C extends Peer> = (connection: C, value: Record<string, unknown>) => void;

/**
 * `C` is who frames come from: this node's sockets for the main router; any {@link Peer} (a socket
 * here or a connection on another node) for the conference's.
 */
export class FrameRouter<C extends Peer = ClientConnection> {
  private readonly routes = new Map<string, { check: Check<unknown>; handle: FrameHandler<unknown, C> }>();
  private readonly delegates = new Map<string, FrameDelegate<C>>();
  private readonly openHooks: ConnectionHook<C>[] = [];
  private readonly closeHooks: ConnectionHook<C>[] = [];

  constructor(private readonly logError: LogError) {}

  /** Registers the handler of one frame type. The schema must include `t` (and `id` where used). */
  on<T>(type: string, check: Check<T>, handle: FrameHandler<T, C>): void {
    if (this.routes.has(type)) throw new Error(`frame type ${type} is already handled`);
    this.routes.set(type, { check, handle: handle as FrameHandler<unknown, C> });
  }

  /** Hands every frame whose type starts with `prefix` to `delegate`, which answers it itself. */
  delegate(prefix: string, delegate: FrameDelegate<C>): void {
    this.delegates.set(prefix, delegate);
  }

  /** The frame types routed here (for tests: every one has a fuzzing shape). */
  routedTypes(): string[] {
    return [...this.routes.keys()];
  }

  /** Runs after a connection was authenticated and welcomed. */
  onOpen(hook: ConnectionHook<C>): void {
    this.openHooks.push(hook);
  }

  /** Runs once when a connection closed, for whatever reason. */
  onClose(hook: ConnectionHook<C>): void {
    this.closeHooks.push(hook);
  }

  opened(connection: C): void {
    for (const hook of this.openHooks) this.runHook(hook, connection);
  }

  closed(connection: C): void {
    for (const hook of this.closeHooks) this.runHook(hook, connection);
  }

  private runHook(hook: ConnectionHook<C>, connection: C): void {
    try {
      hook(connection);
    } catch (e) {
      this.logError(e, 'connection hook failed');
    }
  }

  async dispatch(connection: C, value: unknown): Promise<void> {
    const record =
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const type = record?.t;
    if (record && typeof type === 'string') {
      for (const [prefix, delegate] of this.delegates) {
        if (!type.startsWith(prefix)) continue;
        try {
          delegate(connection, record);
        } catch (e) {
          this.logError(e, `delegate of ${prefix} failed`);
        }
        return;
      }
    }
    const rawId = record?.id;
    const id = typeof rawId === 'string' && rawId.length > 0 && rawId.length <= MAX_FRAME_ID_LENGTH ? rawId : undefined;
    const route = typeof type === 'string' ? this.routes.get(type) : undefined;
    if (!route) {
      connection.send({
        t: 'error',
        ...(id ? { id } : {}),
        error: errorInfo(ErrorCode.BadRequest, unknownTypeMessage(type)),
      });
      return;
    }
    const parsed = validate(route.check, value);
    if (!parsed.ok) {
      connection.send({
        t: 'error',
        ...(id ? { id } : {}),
        error: errorInfo(ErrorCode.BadRequest, `Invalid ${type} frame: ${parsed.error.message}.`),
      });
      return;
    }
    try {
      const result = await route.handle(connection, parsed.value);
      if (id) connection.send({ t: 'ack', id, ...(result === undefined ? {} : { result }) });
    } catch (e) {
      const error = e instanceof ApiError ? e.envelope.error : errorInfo(ErrorCode.UnspecifiedError);
      if (!(e instanceof ApiError)) this.logError(e, `handler of ${type} failed`);
      connection.send({ t: 'error', ...(id ? { id } : {}), error });
    }
  }
}

/** Names a frame's unroutable `t` without calling anything on it: a client's `{ toString: 0 }` must not throw here. */
function unknownTypeMessage(type: unknown): string {
  if (typeof type === 'string') return `Unknown frame type ${JSON.stringify(type).slice(0, 40)}.`;
  return type === undefined
    ? 'The frame has no type (t).'
    : `The frame type (t) must be a string, not ${kindOf(type)}.`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
