// The title, the run's phase, the spec it is for (a link that opens it) and the run's duration.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import { formatDuration } from '../format.js';
import type { WizardStore } from '../store.js';
import { lastRunText, phaseText } from '../view-model.js';

function lastRun(v: WizardView, store: WizardStore) {
  const text = lastRunText(v, store.hostNow());
  return text ? html` <span class="last-run" id="last-run">(${text})</span>` : nothing;
}

export function header(v: WizardView, store: WizardStore) {
  const openSpec = (e: Event) => {
    e.preventDefault();
    store.command('openSpec');
  };
  return html`<header>
    <h1 id="title">${v.title}</h1>
    <p class="meta">
      <span class="phase phase-${v.phase}" id="phase">${phaseText(v)}</span>${lastRun(v, store)} ·
      <a href="#" @click=${openSpec}>${v.specLabel}</a>${
        v.durationMs !== undefined ? ` · ${formatDuration(v.durationMs)}` : nothing
      }
    </p>
  </header>`;
}
