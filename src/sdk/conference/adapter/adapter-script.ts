/**
 * The entry of dist/oovoo-adapter.min.js: webrtc-adapter alone, which shims the browser's WebRTC
 * globals as it runs. The script-tag SDK adds it only in browsers that need it (load-adapter-script.ts).
 */
import 'webrtc-adapter';
