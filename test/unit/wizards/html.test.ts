import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, wizardHtml } from '../../../src/wizards/html';

describe('wizard HTML', () => {
  const parts = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abc123+/=',
    scriptUri: 'https://x/dist/webview/main.js',
    styleUri: 'https://x/dist/webview/main.css',
    codiconUri: 'https://x/dist/webview/codicon.css',
    title: 'Join Nodes — <lab> & "co"',
  };

  it('has a strict CSP: nothing by default, scripts only with the nonce, no eval', () => {
    const csp = contentSecurityPolicy(parts.cspSource, 'N1');
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N1'(;|$)/);
    assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net 'nonce-N1'/);
    assert.match(csp, /font-src https:\/\/file\+/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|connect-src|\*/);
  });

  it('tags every script and stylesheet with the nonce and escapes the title', () => {
    const html = wizardHtml(parts);
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts.every((s) => s.includes(`nonce="${parts.nonce}"`)));
    assert.ok((html.match(/<link[^>]*>/g) ?? []).every((l) => l.includes(`nonce="${parts.nonce}"`)));
    assert.ok(html.includes('id="vscode-codicon-stylesheet"'));
    assert.ok(html.includes('Join Nodes — &lt;lab&gt; &amp; &quot;co&quot;'));
    assert.ok(!html.includes('<lab>'));
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => makeNonce()));
    assert.equal(nonces.size, 50);
    for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
  });
});
