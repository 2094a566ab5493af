// <gc-elapsed>: a step's or node's time — its duration once known, else the time since it started, ticking
// each second while it runs (measured against the host's clock, which the store estimates).
import { LitElement, nothing } from 'lit';
import { formatDuration } from '../format.js';

export class ElapsedTime extends LitElement {
  static override properties = {
    durationMs: { attribute: false },
    startedAt: { attribute: false },
    hostNow: { attribute: false },
  };
  declare durationMs: number | undefined;
  declare startedAt: number | undefined;
  /** The host's clock now. */
  declare hostNow: () => number;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.hostNow = Date.now;
  }

  // Plain text inside the page's own tree, so the panel's stylesheet applies.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private get live(): boolean {
    return this.durationMs === undefined && this.startedAt !== undefined;
  }

  protected override updated(): void {
    this.classList.add('elapsed');
    this.classList.toggle('live', this.live);
    if (this.live && !this.ticker) this.ticker = setInterval(() => this.requestUpdate(), 1000);
    if (!this.live) this.stopTicking();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTicking();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate(); // back in the page: tick again if still live
  }

  private stopTicking(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  protected override render(): unknown {
    if (this.durationMs !== undefined) return formatDuration(this.durationMs);
    if (this.startedAt !== undefined) return formatDuration(this.hostNow() - this.startedAt);
    return nothing;
  }
}

customElements.define('gc-elapsed', ElapsedTime);

declare global {
  interface HTMLElementTagNameMap {
    'gc-elapsed': ElapsedTime;
  }
}
