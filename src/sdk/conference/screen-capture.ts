import { ErrorCode, SCREEN_SHARE_TAKEN_CODE } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import type { ConferenceSession } from './conference-session.js';
import type { ScreenShare } from './screen-share.js';

/**
 * The rest of a screen share's start (call extras), once the browser's picker answered: the room's
 * consent (`conf.share`: one sharer per room, the server decides), then the topology sends it and
 * the browser's own "Stop sharing" ends it.
 */
export async function shareCapture(
  share: ScreenShare,
  session: ConferenceSession,
  captured: Promise<MediaStream>,
): Promise<object> {
  let stream: MediaStream;
  try {
    stream = await captured;
  } catch (e) {
    // NotAllowedError: the user cancelled the picker, or the page may not capture.
    const denied = (e as Error)?.name === 'NotAllowedError';
    throw OoVooError.of(denied ? ErrorCode.NotAuthorized : ErrorCode.BadRequest, `Screen capture failed: ${e}`);
  }
  // {video: true} always answers with one video track.
  const track = stream.getVideoTracks()[0]!;
  try {
    // Durable: a share started during a reconnect asks once the connection is back.
    await session.request(
      { t: 'conf.share', active: true },
      { durable: true, keep: () => share.session() === session },
    );
    if (share.session() !== session) throw OoVooError.badRequest('The conference ended while the share started.');
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    // An answer lost with the connection may have left the share on at the server: ended there too.
    if (!(e instanceof OoVooError && e.code === SCREEN_SHARE_TAKEN_CODE)) share.tellStopped(session);
    throw e;
  }
  // Screens are text and lines: keep their resolution, give up frame rate first.
  track.contentHint = 'detail';
  // The browser's own "Stop sharing" (or the shared window closing) ends the track: as stopScreenShare.
  track.addEventListener('ended', () => void (share.capture?.track === track && share.stop()));
  share.capture = { stream, track, session };
  session.topology.setScreenTrack(track);
  share.fire('screenShareStarted', { uid: session.id.uid, stream });
  return {};
}
