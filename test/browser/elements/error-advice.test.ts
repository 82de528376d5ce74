import { expect } from '@open-wc/testing';
import { CONFERENCE_FULL_CODE } from '../../../src/protocol/conference.js';
import { ErrorCode, errorInfo } from '../../../src/protocol/errors.js';
import { adviseDevice, adviseError, ERROR_STRINGS } from '../../../src/elements/extras/error-advice.js';
import { DEFAULT_STRINGS as CHAT, failureWords } from '../../../src/elements/chat/chat-message.js';

// The mapping from an error to its words, for the errors the element tests do not provoke end to end
// (the login and conference tests check the words of real failures). Descriptions as the SDK and the
// server write them.
const none = () => undefined;
const login = { element: 'oovoo-login', server: () => 'https://video.example.com', appToken: true } as const;
const call = { element: 'oovoo-conference' } as const;

describe('error advice', () => {
  it('a network failure names the server tried and the attribute', () => {
    const info = errorInfo(ErrorCode.UnspecifiedError, 'Could not reach the server at https://video.example.com.');
    expect(adviseError(info, login, none)).to.equal(
      'Could not reach the ooVoo server at https://video.example.com. Check the network; if oovoo-server runs elsewhere, set the server attribute of <oovoo-login> to its address.',
    );
  });

  it('without a known server, the page origin is where the SDK looked', () => {
    const noServer = {
      ...login,
      server: () => {
        throw new Error('No server is known');
      },
    };
    const info = errorInfo(ErrorCode.UnspecifiedError, 'Could not reach the server.');
    expect(adviseError(info, noServer, none)).to.contain(`at ${location.origin}.`);
  });

  it('a bad server attribute, a session token refused, an app blocked, a sign-in refused', () => {
    expect(adviseError(errorInfo(ErrorCode.BadRequest, 'server: Invalid URL'), login, none)).to.equal(
      ERROR_STRINGS.errServerAttribute,
    );
    expect(adviseError(errorInfo(ErrorCode.InvalidToken), { ...login, appToken: false }, none)).to.equal(
      ERROR_STRINGS.errSessionToken,
    );
    expect(adviseError(errorInfo(ErrorCode.BlockedAppId), login, none)).to.equal(ERROR_STRINGS.errAppBlocked);
    const refused = errorInfo(
      ErrorCode.NotAuthorized,
      'Client-side login is allowed for sandbox tokens only in this app.',
    );
    expect(adviseError(refused, login, none)).to.equal(
      `The server does not allow this sign-in: Client-side login is allowed for sandbox tokens only in this app. In the developer portal, check that the app allows this page’s origin (${location.origin}) and this kind of login.`,
    );
  });

  it('a full call; other codes keep their description', () => {
    const full = errorInfo(
      CONFERENCE_FULL_CODE,
      'The conference is full: a mesh conference holds at most 6 participants.',
    );
    expect(adviseError(full, call, none)).to.equal(ERROR_STRINGS.errCallFull);
    const other = errorInfo(CONFERENCE_FULL_CODE, 'Too many lobbies: one connection may wait in at most 4 at once.');
    expect(adviseError(other, call, none)).to.equal(other.description);
    // A participant's forged host action: the server's words stand.
    const forged = errorInfo(ErrorCode.NotAuthorized, 'Only a host of this conference may do this.');
    expect(adviseError(forged, call, none)).to.equal(forged.description);
  });

  it("a page's strings or a language pack replace the words; placeholders are filled, never read as keys", () => {
    const say = (key: string) =>
      key === 'errServerUnreachable' ? 'Kein Server unter {server} ({server}).' : undefined;
    const info = errorInfo(ErrorCode.UnspecifiedError, 'Could not reach the server.');
    expect(adviseError(info, login, say)).to.equal(
      'Kein Server unter https://video.example.com (https://video.example.com).',
    );
  });

  it('devices: refused and missing in words, other states none', () => {
    expect(adviseDevice('ACCESS_DENIED', none)).to.equal(ERROR_STRINGS.errDevicesDenied);
    expect(adviseDevice('DEVICE_NOT_FOUND', none)).to.equal(ERROR_STRINGS.errDevicesNotFound);
    expect(adviseDevice('ACCESS_ACCEPTED', none)).to.equal(undefined);
  });

  it("a chat message not sent: why, in the chat's words", () => {
    const t = (key: keyof typeof CHAT) => CHAT[key];
    expect(failureWords('Not connected: call ooVooClient.connect first.', t)).to.equal(CHAT.failedOffline);
    expect(failureWords('The inbox of "bob" is full (1000 pending messages).', t)).to.equal(CHAT.failedInboxFull);
    expect(failureWords('Too many messages; retry in 2 s.', t)).to.equal(CHAT.failedTooFast);
    expect(failureWords('Messages stay inside one app.', t)).to.equal('Not sent: Messages stay inside one app.');
  });
});
