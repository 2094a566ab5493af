// A guided flow's checklist (migrate from a classic gateway, roll back to classic), in seed 001's order: the
// steps the user does in the management platform as checkboxes that persist, and the extension's own step,
// which the panel's Start runs and a success ticks; an item's warning says what stands in its way now (migrate:
// the cluster is registered already).
import { html, nothing } from 'lit';
import type { ChecklistItemView, WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';
import type { WizardStore } from '../store.js';
import { waitingForChecklist } from '../view-model.js';

export function checklist(v: WizardView, store: WizardStore) {
  if (!v.checklist?.length) return nothing;
  return html`<section class="checklist">
    <h2>Checklist</h2>
    <ol id="checklist">
      ${v.checklist.map((item) => entry(item, store))}
    </ol>
    ${
      waitingForChecklist(v)
        ? html`<p class="note" id="checklist-waiting">
            Tick the steps before this panel's own, in order: then Start.
          </p>`
        : nothing
    }
  </section>`;
}

function entry(item: ChecklistItemView, store: WizardStore) {
  const id = `check-${item.id}`;
  const mark =
    item.by === 'you'
      ? html`<input
          type="checkbox"
          id=${id}
          .checked=${item.done}
          @change=${(e: Event) => store.tick(item.id, (e.target as HTMLInputElement).checked)}
        />`
      : icon(item.done ? 'pass-filled' : 'circle-large-outline', item.done ? 'done' : 'pending');
  return html`<li class="checklist-item ${item.done ? 'done' : ''}" data-by=${item.by} data-id=${item.id}>
    ${mark}
    <label for=${item.by === 'you' ? id : nothing}
      ><span class="by">${item.by === 'you' ? 'You' : 'This panel'}:</span> ${item.text}</label
    >
    ${item.hint ? html`<div class="note">${item.hint}</div>` : nothing}
    ${
      item.warning
        ? html`<div class="note warning" id="checklist-warning" role="alert">
            ${icon('warning', 'sev-warning')} ${item.warning}
          </div>`
        : nothing
    }
  </li>`;
}
