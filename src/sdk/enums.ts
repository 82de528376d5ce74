/**
 * The spec's enums. Values are strings so that logs and `evt.type` are readable; the spec
 * compares them only with these constants. Reachable as `ooVooClient.X` and `ooVoo.API.X`.
 */

/** Capture resolutions of `AVChat.init({ videoResolution })`. */
export const VideoResolution = {
  /** 352 x 288 */
  NORMAL: 'NORMAL',
  /** 640 x 480 */
  HIGH: 'HIGH',
  /** 1280 x 720 */
  HD: 'HD',
} as const;
export type VideoResolution = (typeof VideoResolution)[keyof typeof VideoResolution];

export const VIDEO_RESOLUTION_SIZE: Readonly<Record<VideoResolution, { width: number; height: number }>> = {
  NORMAL: { width: 352, height: 288 },
  HIGH: { width: 640, height: 480 },
  HD: { width: 1280, height: 720 },
};

/** `onConferenceStateChanged` event types. */
export const ConferenceStateEventType = {
  ACCESS_ACCEPTED: 'ACCESS_ACCEPTED',
  ACCESS_DENIED: 'ACCESS_DENIED',
  CONNECTED: 'CONNECTED',
  JOINED: 'JOINED',
  DISCONNECTED: 'DISCONNECTED',
  RECONNECTING: 'RECONNECTING',
  RECONNECTED: 'RECONNECTED',
  DEVICE_NOT_FOUND: 'DEVICE_NOT_FOUND',
  CAM_RES_NOT_SUPPORTED: 'CAM_RES_NOT_SUPPORTED',
} as const;
export type ConferenceStateEventType = (typeof ConferenceStateEventType)[keyof typeof ConferenceStateEventType];

/** `onRemoteVideoStateChanged` states. */
export const VideoStateType = {
  PLAY: 'PLAY',
  PAUSED: 'PAUSED',
  STOPPED: 'STOPPED',
} as const;
export type VideoStateType = (typeof VideoStateType)[keyof typeof VideoStateType];

/** `Messaging.sendAcknowledgement` states. */
export const AcknowledgeState = {
  Delivered: 'Delivered',
  Read: 'Read',
} as const;
export type AcknowledgeState = (typeof AcknowledgeState)[keyof typeof AcknowledgeState];

/** The client's connection to the server. */
export const ConnectionState = {
  Idle: 'idle',
  Connecting: 'connecting',
  Connected: 'connected',
  Reconnecting: 'reconnecting',
  Closed: 'closed',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
