// The plan: each step with its state, elapsed time and note, its per-node rows, and its output.
import { html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { NodeRowView, StepView, WizardView } from '../../src/wizards/protocol.js';
import { stateIcon } from '../icons.js';
import type { WizardStore } from '../store.js';
import { outputLabel, outputOpen, showsDryRun, STATE_LOOK } from '../view-model.js';

/** Why there are no steps yet: a spec that cannot be used shows no plan, and the panel says so. */
function emptyText(v: WizardView): string {
  return v.problems.length ? 'The steps show once the spec can be used (see above).' : 'Reading the plan…';
}

export function steps(v: WizardView, store: WizardStore) {
  if (!v.steps.length)
    return html`<section class="steps empty"><p class="muted" id="steps-empty">${emptyText(v)}</p></section>`;
  return html`<section class="steps">
    <h2>${showsDryRun(v) ? 'Plan (dry run — nothing executed)' : 'Steps'}</h2>
    <ol class="step-list" id="steps">
      ${repeat(
        v.steps,
        (step) => step.id,
        (step) => stepItem(step, v, store),
      )}
    </ol>
  </section>`;
}

function stepItem(step: StepView, v: WizardView, store: WizardStore) {
  return html`<li class="step state-${step.state}" data-step=${step.id} data-state=${step.state}>
    <div class="row">
      ${stateIcon(step.state)}
      <span class="step-title">${step.title}</span>
      <span class="state-text">${STATE_LOOK[step.state].label}</span>
      ${elapsed(step, store)}
    </div>
    ${step.note ? html`<div class="note">${step.note}</div>` : nothing}
    ${
      step.nodes.length
        ? html`<ul class="nodes" aria-label="Nodes">
            ${step.nodes.map((node) => nodeRow(node, store))}
          </ul>`
        : nothing
    }
    ${
      step.output.length
        ? html`<gc-step-output
            .step=${step}
            .open=${outputOpen(step, store.expanded)}
            .label=${outputLabel(step, v)}
            @toggle-output=${(e: CustomEvent<boolean>) => store.toggleOutput(step.id, e.detail)}
          ></gc-step-output>`
        : nothing
    }
  </li>`;
}

function nodeRow(node: NodeRowView, store: WizardStore) {
  return html`<li class="node state-${node.state}" data-node=${node.name} data-state=${node.state}>
    ${stateIcon(node.state)}
    <span class="node-name">${node.name}</span>
    ${node.note ? html`<span class="note">${node.note}</span>` : nothing} ${elapsed(node, store)}
  </li>`;
}

/** A duration once known; a live time while running; nothing before. */
function elapsed(row: StepView | NodeRowView, store: WizardStore) {
  const startedAt = row.state === 'running' ? row.startedAt : undefined;
  if (row.durationMs === undefined && startedAt === undefined) return nothing;
  return html`<gc-elapsed
    .durationMs=${row.durationMs}
    .startedAt=${startedAt}
    .hostNow=${store.hostNow}
  ></gc-elapsed>`;
}
