// Why the operation cannot run yet (the spec's problems), and the host's notice of the moment.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';

export function messages(v: WizardView) {
  if (!v.problems.length && !v.notice) return nothing;
  return html`<section class="messages">
    ${
      v.problems.length
        ? html`<div class="problems" role="alert">
            ${icon('warning')} The spec cannot be used for this operation yet:
            <ul>
              ${v.problems.map((p) => html`<li>${p}</li>`)}
            </ul>
          </div>`
        : nothing
    }
    ${v.notice ? html`<p class="notice" id="notice">${icon('info')} ${v.notice}</p>` : nothing}
  </section>`;
}
