// The secrets the operation needs: a stored one says where it is kept (with Change); a missing one is a
// password field checked as the user saves and, once a problem shows, at each key until it is fixed.
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { InputView, WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';
import type { WizardStore } from '../store.js';
import { isBusy } from '../view-model.js';

export function inputs(v: WizardView, store: WizardStore) {
  if (!v.inputs.length) return nothing;
  const busy = isBusy(v);
  return html`<section class="inputs">
    <h2>Inputs</h2>
    ${v.inputs.map((input) =>
      input.stored && !input.editing ? storedRow(input, busy, store) : entryRow(input, busy, store),
    )}
  </section>`;
}

function storedRow(input: InputView, busy: boolean, store: WizardStore) {
  return html`<div class="input stored" data-key=${input.key}>
    <span class="input-label">${input.label}</span>
    <span class="stored-note">${icon('lock')} stored in secret storage as “${input.secretName}”</span>
    <vscode-button secondary ?disabled=${busy} @click=${() => store.changeInput(input.key)}
      >Change</vscode-button
    >
  </div>`;
}

function entryRow(input: InputView, busy: boolean, store: WizardStore) {
  const id = `input-${input.key}`;
  const error = store.inputError(input.key);
  const typed = (e: Event) => store.type(input.key, (e.target as HTMLInputElement).value ?? '');
  const enter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') store.submitInput(input.key);
  };
  return html`<div class="input" data-key=${input.key}>
    <label class="input-label" for=${id}>${input.label}${input.required ? ' *' : ''}</label>
    <vscode-textfield
      id=${id}
      type="password"
      placeholder=${input.required ? 'required' : (input.optionalNote ?? 'optional')}
      aria-describedby="${id}-error"
      .value=${live(store.draft(input.key))}
      ?invalid=${Boolean(error)}
      @input=${typed}
      @keydown=${enter}
    ></vscode-textfield>
    <vscode-button ?disabled=${busy} @click=${() => store.submitInput(input.key)}>Save</vscode-button>
    <span class="input-hint">Kept in the editor's secret storage as “${input.secretName}”.</span>
    ${
      input.elsewhere
        ? html`<vscode-button
            secondary
            class="use-elsewhere"
            ?disabled=${busy}
            @click=${() => store.useStoredElsewhere(input.key)}
            >Use the one stored for ${input.elsewhere}…</vscode-button
          >`
        : nothing
    }
    <span class="input-error" id="${id}-error">${error ?? ''}</span>
  </div>`;
}
