import { html, type TemplateResult } from 'lit';
/** A piece of a message: plain text, or an http(s) link with the text it showed. */
export type TextPiece = string | { readonly href: string; readonly text: string };

// Candidate links: an http(s) scheme, then anything up to whitespace or a character that ends a URL in prose.
const CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that closes a sentence rather than a URL.
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * Splits a message into text and links. Only http and https URLs become links; everything else
 * (including `javascript:`, `data:` and markup) stays text for the template to render as text.
 */
export function linkify(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    let candidate = match[0];
    const trailing = TRAILING.exec(candidate)?.[0] ?? '';
    // Keep a closing parenthesis that belongs to the URL (as in Wikipedia links).
    const keep = trailing.startsWith(')') && candidate.includes('(') ? 1 : 0;
    candidate = candidate.slice(0, candidate.length - trailing.length + keep);
    const href = httpUrl(candidate);
    if (!href) continue;
    const start = match.index;
    if (start > last) pieces.push(text.slice(last, start));
    pieces.push({ href, text: candidate });
    last = start + candidate.length;
  }
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

function httpUrl(candidate: string): string | undefined {
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A message's text for a template: text is bound as text (lit makes text nodes) and links only for
 * http(s), so nothing in a message becomes markup.
 */
export function linkedText(text: string): Array<string | TemplateResult> {
  return linkify(text).map((piece) =>
    typeof piece === 'string'
      ? piece
      : html`<a part="link" href=${piece.href} target="_blank" rel="noopener noreferrer">${piece.text}</a>`,
  );
}
