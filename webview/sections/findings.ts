// Preflight's findings per node, each fixable one with "Fix it", and "Apply all" when there are several.
import { html, nothing } from 'lit';
import type { FindingView, WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';
import type { WizardStore } from '../store.js';
import { isBusy } from '../view-model.js';

export function findings(v: WizardView, store: WizardStore) {
  if (!v.findings.length) return nothing;
  const busy = isBusy(v);
  return html`<section class="findings">
    <h2>Preflight findings</h2>
    <ul id="findings">
      ${v.findings.map((f) => finding(f, busy, store))}
    </ul>
    ${
      v.fixes.length > 1
        ? html`<vscode-button
            id="apply-all-fixes"
            secondary
            ?disabled=${busy}
            @click=${() => store.applyFixes(v.fixes.map((x) => x.id))}
            >Apply all ${v.fixes.length} fixes</vscode-button
          >`
        : nothing
    }
  </section>`;
}

function finding(f: FindingView, busy: boolean, store: WizardStore) {
  const fixId = f.fixId;
  return html`<li class="finding ${f.severity}">
    ${icon(f.severity, `sev-${f.severity}`)}<strong> ${f.node}: </strong>${f.message}
    ${f.hint ? html`<div class="note">${f.hint}</div>` : nothing}
    ${
      fixId
        ? html`<vscode-button secondary ?disabled=${busy} @click=${() => store.applyFixes([fixId])}
            >Fix it</vscode-button
          >`
        : nothing
    }
  </li>`;
}
