/**
 * What a plain call does not need, loaded on first use: in the ES modules by a dynamic import, in
 * the script-tag build as dist/oovoo-extras.min.js beside the SDK script (see load-extras-script.ts).
 */
import { css } from 'lit';
import baseStyles from '../conference/extras.styles.js';
import hostStyles from '../conference/host-ui.styles.js';
import phoneStyles from '../conference/phone.styles.js';

export { renderParticipantPanel } from '../conference/participant-panel.js';
export { renderReactionPicker } from '../conference/reaction-picker.js';
export { renderDeviceLists } from '../conference/device-lists.js';

/** The styles the extras bring: the panel, pickers and lists, the host UI, and the phone layout (last: it refines them). */
export const extrasStyles = css`
  ${baseStyles}${hostStyles}${phoneStyles}
`;
export { HostUi } from '../conference/host-ui.js';
export { PipController } from '../conference/pip-controller.js';
export { openLoginPopup } from '../login/login-popup.js';
export { renderLoginForm } from '../login/login-form.js';
export { adviseError, adviseDevice } from './error-advice.js';
