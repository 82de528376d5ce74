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

interface TableRow {
  readonly category: string;
  readonly description: string;
}

const TABLE: Readonly<Record<ErrorCodeName, TableRow>> = {
  Success: { category: 'Success', description: 'The request has succeeded.' },
  UnspecifiedError: {
    category: 'Internal Application Error',
    description: 'The application encountered an unexpected condition.',
  },
  AuthenticationFailed: { category: 'Authentication', description: 'Login failed.' },
  InvalidToken: {
    category: 'Authentication',
    description: 'Session token not provided or invalid (or expired); a new one needs to be requested.',
  },
  InvalidAvsKey: { category: 'Authentication', description: 'Invalid AVS key.' },
  BlockedAppId: { category: 'Authentication', description: 'ApplicationId is blocked.' },
  InvalidEnvironment: { category: 'Authentication', description: 'Application reached wrong URL environment.' },
  NotAuthorized: {
    category: 'Authorization Failed',
    description: 'Authentication succeeded, but the application does not have permission for this action.',
  },
  BadRequest: {
    category: 'Bad Request',
    description: 'The request could not be understood: malformed syntax, or a required parameter missing or incorrect.',
  },
  InvalidApiVersion: { category: 'Not Found', description: 'Requested API version not supported.' },
  InvalidResource: { category: 'Not Found', description: 'The resource was not found.' },
  InvalidEndpoint: { category: 'Not Found', description: 'Trying to access the wrong URI.' },
  GroupsLimitExceeded: { category: 'Operation Failed', description: 'The given user has created the limit number of groups.' },
  UserIdNotAvailable: { category: 'Operation Failed', description: 'A user with this ooVooId already exists.' },
  EmailNotAvailable: { category: 'Operation Failed', description: 'A user with this email already exists.' },
  InvalidVerificationCode: {
    category: 'Operation Failed',
    description: 'The code provided by the client does not match the code sent by the backend.',
  },
  BlockedAreaCode: { category: 'Operation Failed', description: 'The phone dialed by the client is blocked.' },
  NoCredits: { category: 'Operation Failed', description: 'User is out of credits/phone minutes.' },
  UnsupportedPhone: { category: 'Operation Failed', description: 'User supplied an unsupported phone number.' },
  PhoneAlreadyVerified: { category: 'Operation Failed', description: 'This phone number is already verified.' },
  InvalidReceipt: { category: 'Operation Failed', description: 'User provided an invalid receipt.' },
};

/** The spec's code groups that have no single named code. */
export const ERROR_RANGES: ReadonlyArray<{ readonly pattern: string; readonly min: number; readonly max: number; readonly name: string }> = [
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
    return { code, name, description: description ?? TABLE[name].description };
  }
  const range = ERROR_RANGES.find((r) => code >= r.min && code <= r.max);
  if (range) return { code, name: range.name, description: description ?? range.name };
  return { code: ErrorCode.UnspecifiedError, name: 'UnspecifiedError', description: description ?? TABLE.UnspecifiedError.description };
}

/** The category column of the spec's table, for display. */
export function errorCategory(code: number): string {
  const name = BY_CODE.get(code);
  return name ? TABLE[name].category : 'Operation Failed';
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
