// The node-failure drill's timeline, live: each moment after the stop (NotReady, evictions, replacements
// Ready, the Gateway Manager back, the node back) and, once the drill ends, what governs each delay.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';

export function timeline(v: WizardView) {
  if (v.kind !== 'drill' || !v.timeline) return nothing;
  const t = v.timeline;
  return html`<section class="timeline" id="drill-timeline">
    <h2>Timeline${t.outcome ? html` <span class="muted">(${t.outcome})</span>` : nothing}</h2>
    <ol class="timeline-entries">
      ${t.entries.map(
        (e) =>
          html`<li class="timeline-entry" data-kind=${e.kind}>
            <span class="timeline-offset">${e.offset}</span> <span class="timeline-label">${e.label}</span>
          </li>`,
      )}
    </ol>
    ${
      t.explanation.length
        ? html`<h3>What governs these times</h3>
            <ul class="timeline-explanation">
              ${t.explanation.map((line) => html`<li>${line}</li>`)}
            </ul>`
        : nothing
    }
  </section>`;
}
