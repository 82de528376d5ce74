import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExponentialBackoffPolicy } from '../../../src/sdk/signaling/reconnect-policy.js';

describe('ExponentialBackoffPolicy', () => {
  const opts = { initialMs: 100, maxMs: 1_000, maxElapsedMs: 10_000 };

  it('retries the first time within initialMs (full jitter), at once when the dice say 0', () => {
    assert.equal(new ExponentialBackoffPolicy({ ...opts, random: () => 0 }).nextDelay(1, 0), 0);
    assert.equal(new ExponentialBackoffPolicy({ ...opts, random: () => 1 }).nextDelay(1, 0), 100);
  });

  it('doubles the ceiling per attempt, waits between half of it and all of it, and caps it at maxMs', () => {
    const low = new ExponentialBackoffPolicy({ ...opts, random: () => 0 });
    const high = new ExponentialBackoffPolicy({ ...opts, random: () => 1 });

    assert.deepEqual(
      [2, 3, 4, 5, 6, 12].map((n) => high.nextDelay(n, 0)),
      [200, 400, 800, 1_000, 1_000, 1_000],
    );
    assert.deepEqual(
      [2, 3, 4, 5, 6, 12].map((n) => low.nextDelay(n, 0)),
      [100, 200, 400, 500, 500, 500],
    );
  });

  it('gives up (null) once maxElapsedMs passed since the drop', () => {
    const policy = new ExponentialBackoffPolicy({ ...opts, random: () => 0.5 });

    assert.notEqual(policy.nextDelay(3, 9_999), null);
    assert.equal(policy.nextDelay(3, 10_000), null);
    assert.equal(policy.nextDelay(1, 60_000), null);
  });

  it('keeps every delay inside its bounds for any random value', () => {
    for (let i = 0; i <= 100; i++) {
      const policy = new ExponentialBackoffPolicy({ ...opts, random: () => i / 100 });
      for (let attempt = 2; attempt < 10; attempt++) {
        const ceiling = Math.min(1_000, 100 * 2 ** (attempt - 1));
        const delay = policy.nextDelay(attempt, 0)!;
        assert.ok(
          delay >= ceiling / 2 && delay <= ceiling,
          `attempt ${attempt}: ${delay} within [${ceiling / 2}, ${ceiling}]`,
        );
      }
    }
  });
});
