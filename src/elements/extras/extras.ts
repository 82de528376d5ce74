/**
 * What a plain call does not need, loaded on first use: in the ES modules by a dynamic import, in
 * the script-tag build as dist/oovoo-extras.min.js beside the SDK script (see load-extras-script.ts).
 */
export { renderParticipantPanel } from '../conference/participant-panel.js';
export { renderReactionPicker } from '../conference/reaction-picker.js';
export { renderDeviceLists } from '../conference/device-lists.js';
export { default as extrasStyles } from '../conference/extras.styles.js';
export { PipController } from '../conference/pip-controller.js';
export { openLoginPopup } from '../login/login-popup.js';
