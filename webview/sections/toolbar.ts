// Start or Resume, Cancel, Dry run, Open transcript and (deploy, register) Open Gateway Manager.
import { html } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import type { WizardStore } from '../store.js';
import { toolbarButtons } from '../view-model.js';

export function toolbar(v: WizardView, store: WizardStore) {
  return html`<section class="toolbar" role="toolbar" aria-label="Run">
    ${toolbarButtons(v).map(
      (b) =>
        html`<vscode-button
          id=${b.id}
          icon=${b.icon}
          ?secondary=${b.secondary}
          ?disabled=${b.disabled}
          @click=${() => store.command(b.command)}
          >${b.label}</vscode-button
        >`,
    )}
  </section>`;
}
