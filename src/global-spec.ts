/**
 * The script at the spec's path, /webrtc/oovoosdk-2.1.1.min.js (dist/oovoosdk-2.1.1.min.js):
 * everything dist/oovoo.min.js defines, plus the URL.createObjectURL(stream) shim the spec's
 * samples need. Pages that load /oovoo.min.js keep their globals unpatched.
 */
import './global.js';
import { installMediaUrlShim } from './sdk/media-url-shim.js';

installMediaUrlShim();
