import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';

export interface PeriodicSweepOptions {
  readonly intervalMs: number;
  /** Rows per statement. */
  readonly batchSize: number;
}

/**
 * A sweep that deletes what each app keeps past its age limit, every `intervalMs`: each run visits
 * every app it is told of and deletes in short statements of `batchSize` rows, yielding to the event
 * loop between them so sends and acknowledgements get the database. A run already going is joined,
 * not doubled; `stop` ends a run after its current batch.
 */
export abstract class PeriodicSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    protected readonly options: PeriodicSweepOptions,
    protected readonly log: FastifyBaseLogger,
  ) {}

  /** How long each app keeps its rows, in ms. */
  protected abstract ages(): Promise<Map<string, number>>;
  /** Deletes at most `limit` of the app's rows older than `before`; resolves with how many went. */
  protected abstract expire(appId: string, before: number, limit: number): Promise<number>;
  /** What is logged: after a run that deleted `count` rows (`fields`, `expired`), and when a run failed. */
  protected abstract readonly logs: {
    readonly fields: (count: number) => object;
    readonly expired: string;
    readonly failed: string;
    /** A sweep that deletes something on most runs logs that at debug. */
    readonly level?: 'info' | 'debug';
  };

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.sweep().catch((e: unknown) =>
        this.log.warn({ err: e instanceof Error ? e.message : String(e) }, this.logs.failed),
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a run in progress (it ends after its current batch). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One run (a run already going is joined); resolves with the rows deleted. */
  sweep(now = Date.now()): Promise<number> {
    this.running ??= this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: number): Promise<number> {
    let total = 0;
    for (const [appId, ageMs] of await this.ages()) {
      for (;;) {
        if (this.stopped) return total;
        const removed = await this.expire(appId, now - ageMs, this.options.batchSize);
        total += removed;
        if (removed < this.options.batchSize) break;
        await nextTurn();
      }
    }
    if (total > 0) this.log[this.logs.level ?? 'info'](this.logs.fields(total), this.logs.expired);
    return total;
  }
}
