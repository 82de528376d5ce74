import { ErrorCode, errorInfo, isErrorInfo, type ErrorInfo } from '../protocol/index.js';

/** An SDK error: carries the spec's `{ code, name, description }`. Made only through the factories below. */
export class OoVooError extends Error {
  readonly code: number;
  readonly errorName: string;
  readonly description: string;

  private constructor(info: ErrorInfo) {
    super(`${info.name} (${info.code}): ${info.description}`);
    this.name = 'OoVooError';
    this.code = info.code;
    this.errorName = info.name;
    this.description = info.description;
  }

  /** The spec's result object for callbacks. */
  toResult(): { error: ErrorInfo } {
    return { error: this.info };
  }

  get info(): ErrorInfo {
    return { code: this.code, name: this.errorName, description: this.description };
  }

  static of(code: number, description?: string): OoVooError {
    return new OoVooError(errorInfo(code, description));
  }
  static fromInfo(info: ErrorInfo): OoVooError {
    return new OoVooError(isErrorInfo(info) ? info : errorInfo(ErrorCode.UnspecifiedError));
  }
  /** Any thrown value as an OoVooError: itself when it is one, else UnspecifiedError with its message. */
  static from(e: unknown): OoVooError {
    return e instanceof OoVooError ? e : OoVooError.unspecified(e instanceof Error ? e.message : String(e));
  }
  static badRequest(description: string): OoVooError {
    return OoVooError.of(ErrorCode.BadRequest, description);
  }
  static unspecified(description: string): OoVooError {
    return OoVooError.of(ErrorCode.UnspecifiedError, description);
  }
}

export type ResultCallback<T extends object = object> = (result: T | { error: ErrorInfo }) => void;

/**
 * Runs an operation for both API styles: the spec's callback (which always gets a result object,
 * never a throw) and a Promise (which rejects with an OoVooError). The Promise is marked handled:
 * a spec-style call that passes no callback and ignores the Promise leaves no unhandled rejection.
 */
export function settle<T extends object>(operation: Promise<T>, cb: ResultCallback<T> | undefined): Promise<T> {
  const result = operation.then(
    (value) => {
      safeCall(cb, value);
      return value;
    },
    (e: unknown) => {
      const error = OoVooError.from(e);
      safeCall(cb, error.toResult());
      throw error;
    },
  );
  // A caller that awaits still gets the rejection; one that ignores the Promise gets no unhandled-rejection report.
  result.catch(() => undefined);
  return result;
}

function safeCall<T>(cb: ((value: T) => void) | undefined, value: T): void {
  if (typeof cb !== 'function') return;
  try {
    cb(value);
  } catch (e) {
    // An app's callback that throws must not break the SDK; report it like the browser would.
    queueMicrotask(() => {
      throw e;
    });
  }
}
