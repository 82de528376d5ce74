import type { ErrorInfo } from '../protocol/index.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The page a refused login shows instead of redirecting. Carries the spec's error code. */
export function errorPage(error: ErrorInfo): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Sign-in refused</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:.1em .3em}</style></head>
<body>
<h1>Sign-in refused</h1>
<p id="oovoo-error" data-code="${error.code}" data-name="${escapeHtml(error.name)}">${escapeHtml(error.description)}</p>
<p>Error <code>${error.code}</code> <code>${escapeHtml(error.name)}</code></p>
</body>
</html>
`;
}
