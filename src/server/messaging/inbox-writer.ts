import type {
  CommitLimits,
  MessagingOp,
  MessagingOpResult,
  MessagingStore,
  StoredDelivery,
} from '../store/messaging-types.js';

/** Most operations in one transaction. */
const MAX_BATCH = 2000;

interface Queued {
  readonly op: MessagingOp;
  readonly resolve: (result: MessagingOpResult) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: operations that arrive while the store is busy (or within one event-loop turn)
 * go to disk together in one transaction. Each caller's promise settles only after the
 * transaction that holds its operation committed, so an acknowledgement always follows its
 * durable write. Stored entries are handed to `onCommitted` in seq order, before any caller resumes.
 */
export class InboxWriter {
  private queue: Queued[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: MessagingStore,
    private readonly limits: CommitLimits,
    private readonly onCommitted: (deliveries: readonly StoredDelivery[]) => void,
  ) {}

  submit(op: MessagingOp): Promise<MessagingOpResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      // setImmediate lets every frame already read from the sockets join this batch.
      this.running ??= new Promise<void>((done) => setImmediate(done)).then(() => this.run());
    });
  }

  /** Resolves when everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const { results, deliveries } = await this.store.commit(
            batch.map((q) => q.op),
            this.limits,
          );
          if (deliveries.length > 0) this.onCommitted(deliveries);
          batch.forEach((q, i) => q.resolve(results[i]!));
        } catch (e) {
          // Nothing of this batch was stored: every caller hears so, and a client retries with its client id.
          for (const q of batch) q.reject(e);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
