// The developer portal page's script (dist/portal/portal.js, served at /portal/portal.js).
export { OovooPortal } from './portal-app.js';
export { PortalApi, PortalApiError } from './api.js';
