// <gc-step-output>: a step's live output behind a toggle. The reader keeps their place: an output scrolled
// to its end follows new lines, one scrolled up stays put; a running step's output opens at its end.
import { html, LitElement, nothing } from 'lit';
import type { OutputLineView, StepView } from '../../src/wizards/protocol.js';
import { icon } from '../icons.js';

export class StepOutput extends LitElement {
  static override properties = {
    step: { attribute: false },
    open: { attribute: false },
    label: { attribute: false },
  };
  declare step: StepView;
  declare open: boolean;
  declare label: string;
  private follow = false;

  constructor() {
    super();
    this.open = false;
    this.label = '';
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private get pre(): HTMLElement | null {
    return this.querySelector('pre.output');
  }

  protected override willUpdate(): void {
    const pre = this.pre;
    this.follow = pre
      ? pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4
      : this.step.state === 'running';
  }

  protected override updated(): void {
    const pre = this.pre;
    if (pre && this.follow) pre.scrollTop = pre.scrollHeight;
  }

  private toggle(): void {
    this.dispatchEvent(new CustomEvent('toggle-output', { detail: !this.open, bubbles: true }));
  }

  protected override render(): unknown {
    const step = this.step;
    const id = `output-${step.id}`;
    const toggle = html`<button
      class="output-toggle"
      aria-expanded=${this.open ? 'true' : 'false'}
      aria-controls=${this.open ? id : nothing}
      @click=${this.toggle}
    >
      ${icon(this.open ? 'chevron-down' : 'chevron-right')} ${this.label}
    </button>`;
    if (!this.open) return toggle;
    const dropped = step.outputDropped ? droppedLine(step.outputDropped) : nothing;
    const lines = step.output.map(outputLine);
    const label = `Output of ${step.title}`;
    return html`${toggle}
      <pre class="output" id=${id} aria-label=${label}>${dropped}${lines}</pre>`;
  }
}

const droppedLine = (count: number) =>
  html`<span class="dropped">… ${count} earlier lines in the transcript${'\n'}</span>`;

/** One line as text (never markup): the node it came from, `$ ` before a command. */
const outputLine = (line: OutputLineView) => {
  const node = line.node ? html`<span class="line-node">[${line.node}] </span>` : nothing;
  const prompt = line.stream === 'command' ? '$ ' : '';
  return html`<span class="line ${line.stream}">${node}${prompt}${line.text}${'\n'}</span>`;
};

customElements.define('gc-step-output', StepOutput);

declare global {
  interface HTMLElementTagNameMap {
    'gc-step-output': StepOutput;
  }
}
