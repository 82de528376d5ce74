/**
 * The texts of <oovoo-prejoin>, in English; a page replaces any of them with the `strings` property.
 * A device error shows as the device's name followed by what happened and what to do.
 */
export const DEFAULT_STRINGS = {
  displayNameLabel: 'Display name',
  camera: 'Camera',
  microphone: 'Microphone',
  speaker: 'Speaker',
  defaultDevice: 'Default',
  videoOff: 'Camera off',
  micLevel: 'Microphone level',
  testSpeaker: 'Test speaker',
  join: 'Join',
  tryAgain: 'Try again',
  deviceDenied:
    'The browser is not allowed to use it. Allow it for this site (the icon in the address bar, or the site settings), then try again.',
  deviceNotFound: 'None was found. Connect one or switch it on, then try again.',
  deviceInUse: 'Another app or browser tab is using it, or the system blocks it. Close the other app, then try again.',
  deviceUnavailable: 'The chosen device is not there any more. Choose another one.',
  deviceInsecure: 'This page cannot use it: cameras and microphones work only on secure (https) pages.',
  deviceFailed: 'It could not be started. Try again, or choose another device.',
};
export type PrejoinStrings = typeof DEFAULT_STRINGS;
