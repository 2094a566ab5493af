// The wizard webview's HTML: a strict Content Security Policy with a fresh nonce per page, the bundle and its
// styles from dist/webview only. No data goes into the HTML: the state arrives by message after 'ready'.
import { randomBytes } from 'node:crypto';

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export interface WizardHtmlParts {
  /** webview.cspSource */
  cspSource: string;
  nonce: string;
  /** webview.asWebviewUri(...) of dist/webview/main.js, main.css and codicon.css, as strings. */
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function wizardHtml(p: WizardHtmlParts): string {
  const a = (s: string) => escapeHtml(s);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(p.codiconUri)}" id="vscode-codicon-stylesheet" nonce="${a(p.nonce)}">
<link rel="stylesheet" href="${a(p.styleUri)}" nonce="${a(p.nonce)}">
<title>${a(p.title)}</title>
</head>
<body>
<main id="app" aria-live="polite"><h1 id="title">${a(p.title)}</h1><p class="muted">Loading…</p></main>
<script type="module" nonce="${a(p.nonce)}" src="${a(p.scriptUri)}"></script>
</body>
</html>`;
}
