// <gc-wizard>: the panel. It draws the store's view, section by section, and redraws when the store changes;
// lit updates only what changed, so a running step's new output line does not rebuild the page. It renders
// into the page's own tree (no shadow root), where the panel's stylesheet and the codicon font apply.
import { html, LitElement } from 'lit';
import { checklist } from './sections/checklist.js';
import { diagnostics } from './sections/diagnostics.js';
import { dryRunText } from './sections/dry-run.js';
import { failure } from './sections/failure.js';
import { findings } from './sections/findings.js';
import { header } from './sections/header.js';
import { inputs } from './sections/inputs.js';
import { messages } from './sections/messages.js';
import { nextStepSection } from './sections/next-step.js';
import { registration } from './sections/registration.js';
import { steps } from './sections/steps.js';
import { timeline } from './sections/timeline.js';
import { toolbar } from './sections/toolbar.js';
import type { WizardStore } from './store.js';
import './elements/elapsed.js';
import './elements/step-output.js';

export class WizardApp extends LitElement {
  static override properties = { store: { attribute: false } };
  /** Set before the element joins the page (main.ts does): it follows the store from then on. */
  declare store: WizardStore | undefined;
  private unsubscribe: (() => void) | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.store?.subscribe(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  protected override render(): unknown {
    const store = this.store;
    const v = store?.view;
    if (!store || !v)
      return html`<h1 id="title">${document.title}</h1>
        <p class="muted">Loading…</p>`;
    return html`${header(v, store)} ${messages(v)} ${nextStepSection(v, store)} ${checklist(v, store)}
    ${inputs(v, store)} ${toolbar(v, store)} ${registration(v, store)} ${timeline(v)} ${failure(v)}
    ${diagnostics(v, store)} ${findings(v, store)} ${steps(v, store)} ${dryRunText(v)}`;
  }
}

customElements.define('gc-wizard', WizardApp);

declare global {
  interface HTMLElementTagNameMap {
    'gc-wizard': WizardApp;
  }
}
