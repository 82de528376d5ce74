import { CONFERENCE_FULL_CODE } from '../../protocol/conference.js';
import { ErrorCode, type ErrorInfo } from '../../protocol/errors.js';

/**
 * The elements' errors in words: what happened and what to change, naming the element's attribute
 * (never the SDK's parameter). It comes with the extras, loaded when an error shows; until then, and
 * for an error it has no words for, the element shows the spec's description. The code stays beside
 * the words for support. `{placeholders}` are filled with what the element knows.
 */
export const ERROR_STRINGS = {
  errServerAnswered:
    'No ooVoo server answered at {server} (HTTP {status}): probably this page’s own web server. Set the server attribute of <oovoo-login> to the address of oovoo-server.',
  errServerUnreachable:
    'Could not reach the ooVoo server at {server}. Check the network; if oovoo-server runs elsewhere, set the server attribute of <oovoo-login> to its address.',
  errServerAttribute:
    'The server attribute of <oovoo-login> is not a web address. Use the address of oovoo-server, like https://video.example.com.',
  errNoToken: 'To sign in, set app-token (or a session-token from your backend) on <oovoo-login>.',
  errSandboxMissing: 'This is a sandbox token: add the sandbox attribute to <oovoo-login>.',
  errSandboxExtra: 'This is a production token: remove the sandbox attribute from <oovoo-login>.',
  errAppToken:
    'The server refused the app token. Copy app-token again from the developer portal: it may have been revoked, or belong to another app or server.',
  errSessionToken:
    'The session token is not valid or has expired. Get a new one from your backend and set session-token again.',
  errAppBlocked: 'This app is blocked on the server. Ask the server’s administrator.',
  errNotAllowed:
    'The server does not allow this sign-in: {reason} In the developer portal, check that the app allows this page’s origin ({origin}) and this kind of login.',
  errNotSignedIn: 'Not signed in: put <oovoo-conference> inside an <oovoo-login> that signs in.',
  errNoConferenceId: 'Set the conference-id attribute of <oovoo-conference> to the name of the call.',
  errCallFull: 'This call is full. Try again when someone leaves.',
  errDevicesDenied:
    'The browser is not allowed to use your camera and microphone. Allow them for this site (the icon in the address bar, or the site settings), then join again.',
  errDevicesNotFound: 'No camera or microphone was found. Connect one, then join again.',
};
export type ErrorStrings = typeof ERROR_STRINGS;
export type ErrorKey = keyof ErrorStrings;

/** Where an error showed, and what that element knows of its set-up. */
export interface ErrorScene {
  readonly element: 'oovoo-login' | 'oovoo-conference';
  /** The ooVoo server the SDK talked to (it throws when none is known). */
  readonly server?: () => string;
  /** `<oovoo-login>` signed in with an app token (not a session token). */
  readonly appToken?: boolean;
}

/** A translation lookup of the element (undefined where the element has no text for the key). */
export type Say = (key: ErrorKey) => string | undefined;

/** What happened and what to change, in words, for an error an element shows (without its code). */
export function adviseError(info: ErrorInfo, scene: ErrorScene, t: Say): string {
  const say = (key: ErrorKey, values: Record<string, string> = {}) =>
    (t(key) ?? ERROR_STRINGS[key]).replace(/\{(\w+)\}/g, (m, name: string) => values[name] ?? m);
  const { code, description } = info;
  let server = location.origin;
  try {
    server = scene.server?.() ?? server;
  } catch {
    // No server known: the page's origin is where the SDK looked.
  }
  const login = scene.element === 'oovoo-login';
  switch (code) {
    case ErrorCode.UnspecifiedError: {
      const status = /HTTP (\d+)/.exec(description)?.[1];
      if (status) return say('errServerAnswered', { server, status });
      if (/reach the server/.test(description)) return say('errServerUnreachable', { server });
      if (/^Not connected: put/.test(description)) return say('errNotSignedIn');
      break;
    }
    case ErrorCode.InvalidEnvironment:
      if (/sandbox token/.test(description)) return say('errSandboxMissing');
      if (/production token/.test(description)) return say('errSandboxExtra');
      break;
    case ErrorCode.AuthenticationFailed:
    case ErrorCode.InvalidToken:
    case ErrorCode.InvalidAvsKey:
      return say(login && scene.appToken ? 'errAppToken' : 'errSessionToken');
    case ErrorCode.BlockedAppId:
      return say('errAppBlocked');
    case ErrorCode.NotAuthorized:
      if (login) return say('errNotAllowed', { reason: description, origin: location.origin });
      break;
    case ErrorCode.BadRequest:
      if (/^server:/.test(description)) return say('errServerAttribute');
      if (/app-token or session-token/.test(description)) return say('errNoToken');
      if (/conference-id is required/.test(description)) return say('errNoConferenceId');
      break;
    case CONFERENCE_FULL_CODE:
      if (/^The conference is full/.test(description)) return say('errCallFull');
      break;
  }
  return description;
}

/** A camera or microphone problem of a call (the spec's state types), in words; undefined for others. */
export function adviseDevice(type: string, t: Say): string | undefined {
  const key: ErrorKey | undefined =
    type === 'ACCESS_DENIED' ? 'errDevicesDenied' : type === 'DEVICE_NOT_FOUND' ? 'errDevicesNotFound' : undefined;
  return key && (t(key) ?? ERROR_STRINGS[key]);
}
