import { VIDEO_RESOLUTION_SIZE, ConferenceStateEventType } from '../enums.js';
import { captureConstraints, type MediaSettings } from './init-params.js';

type StateReporter = (type: ConferenceStateEventType) => void;

/**
 * Opens the camera and microphone as the settings ask, reporting what really happened:
 * ACCESS_ACCEPTED, ACCESS_DENIED, DEVICE_NOT_FOUND, CAM_RES_NOT_SUPPORTED. Never rejects: without
 * access the participant still joins, receiving only.
 */
export async function acquireLocalMedia(settings: MediaSettings, report: StateReporter): Promise<MediaStream> {
  if (!settings.audio && !settings.video) return new MediaStream();
  if (!navigator.mediaDevices?.getUserMedia) {
    report(ConferenceStateEventType.DEVICE_NOT_FOUND);
    return new MediaStream();
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(captureConstraints(settings));
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    if (name === 'OverconstrainedError' && settings.video) {
      // The camera can't do this resolution or rate: say so, and take what it can do.
      report(ConferenceStateEventType.CAM_RES_NOT_SUPPORTED);
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: settings.audio, video: true });
      } catch (again) {
        report(failureType(again));
        return new MediaStream();
      }
    } else {
      report(failureType(e));
      return new MediaStream();
    }
  }
  report(ConferenceStateEventType.ACCESS_ACCEPTED);
  const video = stream.getVideoTracks()[0];
  const wanted = VIDEO_RESOLUTION_SIZE[settings.resolution];
  const got = video?.getSettings();
  if (got?.width && got.height && (got.width < wanted.width || got.height < wanted.height)) {
    report(ConferenceStateEventType.CAM_RES_NOT_SUPPORTED);
  }
  return stream;
}

function failureType(e: unknown): ConferenceStateEventType {
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotFoundError' || name === 'DevicesNotFoundError' || name === 'NotReadableError' || name === 'OverconstrainedError') {
    return ConferenceStateEventType.DEVICE_NOT_FOUND;
  }
  return ConferenceStateEventType.ACCESS_DENIED;
}
