import { ErrorCode, type ErrorEnvelope, errorEnvelope } from '../protocol/index.js';

/** An error that becomes one HTTP answer: a status and the spec's error envelope. */
export class ApiError extends Error {
  readonly envelope: ErrorEnvelope;

  constructor(
    readonly status: number,
    readonly code: number,
    description?: string,
    /** Seconds a client should wait before retrying (429). */
    readonly retryAfter?: number,
  ) {
    const envelope = errorEnvelope(code, description);
    super(envelope.error.description);
    this.name = 'ApiError';
    this.envelope = envelope;
  }

  static badRequest(description?: string): ApiError {
    return new ApiError(400, ErrorCode.BadRequest, description);
  }
  static invalidToken(description?: string): ApiError {
    return new ApiError(401, ErrorCode.InvalidToken, description);
  }
  static authenticationFailed(description?: string): ApiError {
    return new ApiError(401, ErrorCode.AuthenticationFailed, description);
  }
  static notAuthorized(description?: string): ApiError {
    return new ApiError(403, ErrorCode.NotAuthorized, description);
  }
  static blockedApp(): ApiError {
    return new ApiError(403, ErrorCode.BlockedAppId);
  }
  static wrongEnvironment(description?: string): ApiError {
    return new ApiError(403, ErrorCode.InvalidEnvironment, description);
  }
  static tooManyRequests(retryAfter: number): ApiError {
    return new ApiError(429, ErrorCode.BadRequest, `Too many requests; retry in ${retryAfter} s.`, retryAfter);
  }
  static notFound(description?: string): ApiError {
    return new ApiError(404, ErrorCode.InvalidEndpoint, description);
  }
  static noSuchResource(description?: string): ApiError {
    return new ApiError(404, ErrorCode.InvalidResource, description);
  }
}
