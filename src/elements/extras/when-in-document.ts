/**
 * The script-tag build's stand-ins for the elements it loads as chunks of their own (<oovoo-chat>,
 * <oovoo-prejoin>): runs `load` once the document has a `<tag>` (in the document, not inside another
 * shadow root) while the tag is not defined. Lit keeps what a page set on the element before it was
 * defined, so a page that never has one never downloads it.
 */
export function whenInDocument(tag: string, load: () => Promise<unknown>): void {
  if (typeof document === 'undefined' || typeof customElements === 'undefined' || customElements.get(tag)) return;
  const present = document.getElementsByTagName(tag);
  const observer = new MutationObserver(() => present.length && start());
  const start = () => {
    observer.disconnect();
    load().catch((e: unknown) =>
      queueMicrotask(() => {
        throw e;
      }),
    );
  };
  if (present.length) start();
  else observer.observe(document, { childList: true, subtree: true });
}
