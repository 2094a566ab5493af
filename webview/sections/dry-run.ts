// After a dry run: the whole plan as one text, with the exact (masked) commands.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';

export function dryRunText(v: WizardView) {
  if (!v.dryRunText || v.mode !== 'dryRun') return nothing;
  return html`<details class="dry-run-text">
    <summary>The whole plan as text</summary>
    <pre class="output">${v.dryRunText}</pre>
  </details>`;
}
