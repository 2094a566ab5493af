// The end of a successful run says what comes next in the procedure, with the button that opens it.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';
import type { WizardStore } from '../store.js';
import { nextStep } from '../view-model.js';

export function nextStepSection(v: WizardView, store: WizardStore) {
  const next = nextStep(v);
  if (!next) return nothing;
  return html`<section class="next-step" id="next-step" role="status">
    <p>${icon('pass-filled')} ${next.text}</p>
    <vscode-button id="open-next" icon="arrow-right" @click=${() => store.command(next.command)}
      >${next.label}</vscode-button
    >
  </section>`;
}
