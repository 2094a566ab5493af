// The register wizard's progress (pending → connecting → connected, or failed) and the documented manual path.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import type { WizardStore } from '../store.js';
import { registrationMarks } from '../view-model.js';

export function registration(v: WizardView, store: WizardStore) {
  if (v.kind !== 'register' && v.kind !== 'migrate') return nothing;
  const failed = v.registration?.state === 'failed';
  const openManager = (e: Event) => {
    e.preventDefault();
    store.command('openManager');
  };
  return html`<section class="registration">
    <h2>Registration</h2>
    <ol class="reg-states" id="registration-states">
      ${registrationMarks(v).map(
        (m) =>
          html`<li
            class="reg-state ${m.reached ? 'reached' : ''} ${m.current ? 'current' : ''} ${
              m.state === 'failed' ? 'failed' : ''
            }"
            data-state=${m.state}
            aria-current=${m.current ? 'step' : nothing}
          >
            ${m.state}
          </li>`,
      )}
    </ol>
    ${
      v.registration?.message
        ? html`<p class=${failed ? 'reg-message error' : 'reg-message'} id="registration-message">
            ${v.registration.message}
          </p>`
        : nothing
    }
    <details class="manual">
      <summary>Or register by hand (the documented manual path)</summary>
      <ol>
        <li>In the management portal, open Setup › Management Profiles.</li>
        <li>Create a management profile (or open yours) and copy its activation token.</li>
        <li>Open the Gateway Manager UI, sign in, and paste the activation token there.</li>
      </ol>
      ${v.managerUrl ? html`<p><a href="#" @click=${openManager}>${v.managerUrl}</a></p>` : nothing}
    </details>
  </section>`;
}
