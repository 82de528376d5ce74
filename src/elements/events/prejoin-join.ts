import { EVENT_OPTIONS } from './options.js';

/**
 * What was chosen before joining: the detail of `oovoo-prejoin-join`, and what `<oovoo-conference>`'s
 * `join()` takes to join with exactly those choices.
 */
export interface PrejoinChoices {
  /** The name the others see. */
  readonly displayName: string;
  /** The microphone is on; off, it is not opened at all until it is turned on in the call. */
  readonly audio: boolean;
  /** The camera is on; off, it is not opened at all until it is turned on in the call. */
  readonly video: boolean;
  /** The camera's `deviceId` ('' for the browser's choice). */
  readonly cameraId: string;
  /** The microphone's `deviceId` ('' for the browser's choice). */
  readonly microphoneId: string;
  /** The speaker's (audio output) `deviceId` ('' for the default). */
  readonly speakerId: string;
}

/** Join was pressed in `<oovoo-prejoin>`: its camera and microphone are closed, the choices are in `detail`. */
export class OovooPrejoinJoinEvent extends CustomEvent<PrejoinChoices> {
  constructor(detail: PrejoinChoices) {
    super('oovoo-prejoin-join', { ...EVENT_OPTIONS, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'oovoo-prejoin-join': OovooPrejoinJoinEvent;
  }
}
