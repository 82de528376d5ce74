import { Paths } from '../../protocol/constants.js';
import { loadChunk } from '../extras/script-chunks.js';

/**
 * The script-tag build's stand-in for chat.ts: <oovoo-chat> is defined by oovoo-chat.min.js,
 * added once the page has an <oovoo-chat> (in the document, not inside another shadow root);
 * Lit keeps what a page set on the element before it was defined. A call without chat never
 * downloads it.
 */
export const OovooChat = undefined;

const TAG = 'oovoo-chat';

if (typeof document !== 'undefined' && typeof customElements !== 'undefined' && !customElements.get(TAG)) {
  const present = document.getElementsByTagName(TAG);
  const observer = new MutationObserver(() => {
    if (present.length) load();
  });
  const load = () => {
    observer.disconnect();
    loadChunk(Paths.chatScript.slice(1)).catch((e: unknown) =>
      queueMicrotask(() => {
        throw e;
      }),
    );
  };
  if (present.length) load();
  else observer.observe(document, { childList: true, subtree: true });
}
