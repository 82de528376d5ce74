/** Every oovoo event bubbles and crosses shadow roots, so a page can listen on any ancestor. */
export const EVENT_OPTIONS = { bubbles: true, composed: true } as const;
