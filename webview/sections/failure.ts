// A failed run: which step, on which node, the command and its exit code, its last output, what to do. A
// cancelled run that had a failure before the cancel shows it too, as cancelled.
import { html, nothing } from 'lit';
import type { WizardView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';
import { failureHeading } from '../view-model.js';

export function failure(v: WizardView) {
  const f = v.failure;
  const heading = failureHeading(v);
  if (!f || !heading) return nothing;
  return html`<section
    class="failure ${heading.cancelled ? 'cancelled' : ''}"
    role=${heading.cancelled ? 'status' : 'alert'}
    id="failure"
  >
    <h2>${icon(heading.icon)} ${heading.text}</h2>
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
