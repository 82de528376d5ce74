/**
 * The SDK's host and lobby events (none fire in a plain call): the conference controller passes
 * each to the element, whose host UI (with the extras) takes them in order.
 */
export const HOST_EVENTS = [
  'roleChanged',
  'hostsChanged',
  'roomLockChanged',
  'lobbyChanged',
  'lobbyWaiting',
  'knock',
  'knocksChanged',
  'mutedByHost',
  'videoStoppedByHost',
  'removedByHost',
] as const;
