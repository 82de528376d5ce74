import { OoVooClient } from './client.js';
import {
  AcknowledgeState,
  ConferenceStateEventType,
  ConnectionState,
  VideoResolution,
  VideoStateType,
} from './enums.js';

export {
  OoVooClient,
  type AuthorizationParams,
  type ConnectParams,
  type ConfigureOptions,
  type ConnectResult,
  type ClientEvents,
} from './client.js';
export { OoVooError, type ResultCallback } from './errors.js';
export * from './enums.js';
export { ExponentialBackoffPolicy, type ReconnectPolicy } from './signaling/reconnect-policy.js';
export { SignalClient } from './signaling/signal-client.js';
export * from './messaging/index.js';
export { ErrorCode, errorInfo, type ErrorInfo } from '../protocol/errors.js';

/** The one client of a page, as the spec's global `ooVooClient`. Made lazily: nothing runs at import. */
let shared: OoVooClient | undefined;
export function getClient(): OoVooClient {
  return (shared ??= new OoVooClient());
}

/** The spec's `ooVoo.API` namespace: the enums, and `init` as the older name of `connect`. */
export function createApiNamespace(client: OoVooClient) {
  return {
    VideoResolution,
    ConferenceStateEventType,
    VideoStateType,
    AcknowledgeState,
    ConnectionState,
    init: client.connect,
  };
}
