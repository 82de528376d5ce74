import { ErrorCode } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import { secondsToWait } from '../rate-limit.js';

/** A request refused by a rate limit; its error carries `retryAfterMs` beside the spec's fields. */
export class RateLimitedError extends ApiError {
  constructor(what: string, retryAfterSeconds: number) {
    super(429, ErrorCode.BadRequest, `Too many ${what}; retry in ${retryAfterSeconds} s.`, retryAfterSeconds);
    Object.assign(this.envelope.error, { retryAfterMs: retryAfterSeconds * 1000 });
  }
}

/** A refusal that passes after a known delay (a limit over a time window): its error carries `retryAfterMs`. */
export class RetryLaterError extends ApiError {
  constructor(code: number, description: string, retryAfterMs: number) {
    super(429, code, description, secondsToWait(retryAfterMs));
    Object.assign(this.envelope.error, { retryAfterMs });
  }
}
