// A failed run: which step, on which node, the command and its exit code, its last output, what to do.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';

export function failure(v: WizardView) {
  const f = v.failure;
  if (!f) return nothing;
  return html`<section class="failure" role="alert" id="failure">
    <h2>${icon('error')} ${f.stepTitle} failed${f.node ? ` on ${f.node}` : ''}</h2>
    <p class="failure-message">${f.message}</p>
    ${
      f.command
        ? html`<p>Command: <code>${f.command}</code>${f.exitCode != null ? ` (exit ${f.exitCode})` : ''}</p>`
        : nothing
    }
    ${f.outputTail.length ? html`<pre class="output tail">${f.outputTail.join('\n')}</pre>` : nothing}
    <p class="hint"><strong>What to do: </strong>${f.hint}</p>
  </section>`;
}
