// What a diagnostics run kept on this machine: each node's report tarball with its size and SHA-256, the
// events and logs, the nodes that could not be collected (and why), and the folder to reveal.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';
import type { WizardStore } from '../store.js';
import { isBusy } from '../view-model.js';

export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function diagnostics(v: WizardView, store: WizardStore) {
  const d = v.diagnostics;
  if (v.kind !== 'diagnostics' || !d) return nothing;
  // By node, not in the order the downloads ended.
  const reports = d.files.filter((f) => f.node).sort((a, b) => a.node!.localeCompare(b.node!));
  const others = d.files.filter((f) => !f.node);
  return html`<section class="diagnostics" id="diagnostics">
    <h2>Collected</h2>
    <p class="folder"><code id="diagnostics-folder">${d.folder}</code></p>
    <vscode-button
      id="reveal-diagnostics"
      secondary
      ?disabled=${isBusy(v)}
      @click=${() => store.command('revealDiagnostics')}
      >${icon('folder-opened')} Reveal folder</vscode-button
    >
    <table class="diagnostics-files">
      <thead>
        <tr>
          <th>Node</th>
          <th>File</th>
          <th>Size</th>
          <th>SHA-256</th>
        </tr>
      </thead>
      <tbody>
        ${reports.map(
          (f) =>
            html`<tr class="report" data-node=${f.node ?? ''}>
              <td>${f.node}</td>
              <td>${f.file.split('/').pop()}</td>
              <td>${sizeText(f.bytes)}</td>
              <td><code title=${f.sha256}>${f.sha256.slice(0, 16)}…</code></td>
            </tr>`,
        )}
        ${d.missing
          .filter((m) => m.node)
          .map(
            (m) =>
              html`<tr class="missing" data-node=${m.node ?? ''}>
                <td>${m.node}</td>
                <td colspan="3">${icon('error', 'sev-error')} not collected: ${m.reason}</td>
              </tr>`,
          )}
      </tbody>
    </table>
    ${others.length ? html`<p class="note">Also: ${others.map((f) => f.file).join(', ')}</p>` : nothing}
    ${d.missing
      .filter((m) => !m.node)
      .map(
        (m) =>
          html`<p class="note">${icon('warning', 'sev-warning')} ${m.what} not collected: ${m.reason}</p>`,
      )}
  </section>`;
}
