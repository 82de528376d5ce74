/**
 * The error-code table of the ooVoo JS SDK 2.1.1 ("Error Codes"), shared by the
 * browser SDK and the server. Every error on the wire carries `{ code, name, description }`
 * taken from here.
 */

export interface ErrorInfo {
  readonly code: number;
  readonly name: string;
  readonly description: string;
}

/** The spec's named codes. Ranges (-601XX…-606XX) are described by {@link ERROR_RANGES}. */
export const ErrorCode = {
  Success: 0,
  UnspecifiedError: -20000,
  AuthenticationFailed: -30000,
  InvalidToken: -30001,
  InvalidAvsKey: -30003,
  BlockedAppId: -30004,
  InvalidEnvironment: -30005,
  NotAuthorized: -35001,
  BadRequest: -40000,
  InvalidApiVersion: -50000,
  InvalidResource: -50001,
  InvalidEndpoint: -50002,
  GroupsLimitExceeded: -60301,
  UserIdNotAvailable: -60302,
  EmailNotAvailable: -60303,
  InvalidVerificationCode: -60401,
  BlockedAreaCode: -60501,
  NoCredits: -60502,
  UnsupportedPhone: -60503,
  PhoneAlreadyVerified: -60504,
  InvalidReceipt: -60601,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorCodeName];

/** The spec's description of each named code. */
const DESCRIPTIONS: Readonly<Record<ErrorCodeName, string>> = {
  Success: 'The request has succeeded.',
  UnspecifiedError: 'The application encountered an unexpected condition.',
  AuthenticationFailed: 'Login failed.',
  InvalidToken: 'Session token not provided or invalid (or expired); a new one needs to be requested.',
  InvalidAvsKey: 'Invalid AVS key.',
  BlockedAppId: 'ApplicationId is blocked.',
  InvalidEnvironment: 'Application reached wrong URL environment.',
  NotAuthorized: 'Authentication succeeded, but the application does not have permission for this action.',
  BadRequest: 'The request could not be understood: malformed syntax, or a required parameter missing or incorrect.',
  InvalidApiVersion: 'Requested API version not supported.',
  InvalidResource: 'The resource was not found.',
  InvalidEndpoint: 'Trying to access the wrong URI.',
  GroupsLimitExceeded: 'The given user has created the limit number of groups.',
  UserIdNotAvailable: 'A user with this ooVooId already exists.',
  EmailNotAvailable: 'A user with this email already exists.',
  InvalidVerificationCode: 'The code provided by the client does not match the code sent by the backend.',
  BlockedAreaCode: 'The phone dialed by the client is blocked.',
  NoCredits: 'User is out of credits/phone minutes.',
  UnsupportedPhone: 'User supplied an unsupported phone number.',
  PhoneAlreadyVerified: 'This phone number is already verified.',
  InvalidReceipt: 'User provided an invalid receipt.',
};

/**
 * The spec's category column, kept apart from the descriptions: only displays use it, so a
 * bundle that never shows a category leaves this table out.
 */
const CATEGORIES: Readonly<Record<ErrorCodeName, string>> = {
  Success: 'Success',
  UnspecifiedError: 'Internal Application Error',
  AuthenticationFailed: 'Authentication',
  InvalidToken: 'Authentication',
  InvalidAvsKey: 'Authentication',
  BlockedAppId: 'Authentication',
  InvalidEnvironment: 'Authentication',
  NotAuthorized: 'Authorization Failed',
  BadRequest: 'Bad Request',
  InvalidApiVersion: 'Not Found',
  InvalidResource: 'Not Found',
  InvalidEndpoint: 'Not Found',
  GroupsLimitExceeded: 'Operation Failed',
  UserIdNotAvailable: 'Operation Failed',
  EmailNotAvailable: 'Operation Failed',
  InvalidVerificationCode: 'Operation Failed',
  BlockedAreaCode: 'Operation Failed',
  NoCredits: 'Operation Failed',
  UnsupportedPhone: 'Operation Failed',
  PhoneAlreadyVerified: 'Operation Failed',
  InvalidReceipt: 'Operation Failed',
};

/** The spec's code groups that have no single named code. */
export const ERROR_RANGES: ReadonlyArray<{
  readonly pattern: string;
  readonly min: number;
  readonly max: number;
  readonly name: string;
}> = [
  { pattern: '-601XX', min: -60199, max: -60100, name: 'Invalid content type of media' },
  { pattern: '-602XX', min: -60299, max: -60200, name: 'Invalid content type of PostFrame' },
  { pattern: '-603XX', min: -60399, max: -60300, name: 'Invalid Business case' },
  { pattern: '-604XX', min: -60499, max: -60400, name: 'Invalid verification' },
  { pattern: '-605XX', min: -60599, max: -60500, name: 'Invalid phone operation' },
  { pattern: '-606XX', min: -60699, max: -60600, name: 'Invalid Billing operation' },
];

const BY_CODE = new Map<number, ErrorCodeName>(
  (Object.keys(ErrorCode) as ErrorCodeName[]).map((name) => [ErrorCode[name], name]),
);

/** The `{ code, name, description }` for a code; a more specific description may replace the table's. */
export function errorInfo(code: number, description?: string): ErrorInfo {
  const name = BY_CODE.get(code);
  if (name) {
    return { code, name, description: description ?? DESCRIPTIONS[name] };
  }
  const range = ERROR_RANGES.find((r) => code >= r.min && code <= r.max);
  if (range) return { code, name: range.name, description: description ?? range.name };
  return {
    code: ErrorCode.UnspecifiedError,
    name: 'UnspecifiedError',
    description: description ?? DESCRIPTIONS.UnspecifiedError,
  };
}

/** The category column of the spec's table, for display. */
export function errorCategory(code: number): string {
  const name = BY_CODE.get(code);
  return name ? CATEGORIES[name] : 'Operation Failed';
}

/** The error envelope every HTTP error body and WebSocket error frame uses. */
export interface ErrorEnvelope {
  readonly error: ErrorInfo;
}

export function errorEnvelope(code: number, description?: string): ErrorEnvelope {
  return { error: errorInfo(code, description) };
}

/** True for a value shaped like an {@link ErrorInfo}; used on untrusted input. */
export function isErrorInfo(value: unknown): value is ErrorInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'number' && typeof v.name === 'string' && typeof v.description === 'string';
}
