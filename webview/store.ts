// The panel's state, in one place: the host's latest (validated) view, the user's open/closed outputs, and
// what the user is typing. The view and the open/closed choices go to setState so the panel restores after a
// reload; typed passwords and tokens live only here, in memory, until sent — never in the saved state.
// No DOM: the elements draw from it and call its actions; the unit tier drives it with a fake API.
import type {
  CommandName,
  InputKey,
  PersistedPanelState,
  WebviewToHost,
  WizardView,
} from '../src/wizards/protocol.js';
import {
  normalizeInput,
  parseHostMessage,
  parsePersistedState,
  validateInput,
} from '../src/wizards/protocol.js';

/** What the webview keeps with setState (see PersistedPanelSchema). */
export type SavedState = PersistedPanelState & { view: WizardView; expanded: Record<string, boolean> };

/** The part of acquireVsCodeApi() the panel uses. */
export interface WebviewApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
}

export class WizardStore {
  private current: WizardView | undefined;
  private specUri = '';
  /** Host clock minus ours, to show elapsed times of running steps. */
  private skew = 0;
  private expandedSteps: Record<string, boolean> = {};
  private readonly drafts = new Map<InputKey, string>();
  private readonly errors = new Map<InputKey, string>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: WebviewApi,
    private readonly now: () => number = Date.now,
  ) {}

  get view(): WizardView | undefined {
    return this.current;
  }

  get expanded(): Readonly<Record<string, boolean>> {
    return this.expandedSteps;
  }

  /** The host's clock now, as well as we know it (a bound function: elements keep it). */
  readonly hostNow = (): number => this.now() + this.skew;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a reload the last view shows at once; the host's snapshot replaces it when it arrives. */
  restore(): void {
    const saved = parsePersistedState(this.api.getState());
    if (!saved?.view) return;
    this.current = saved.view;
    this.specUri = saved.specUri;
    this.expandedSteps = { ...saved.expanded };
    this.changed(false);
  }

  /** A message from the host: anything malformed is ignored. Returns whether it was taken. */
  receive(data: unknown): boolean {
    const message = parseHostMessage(data);
    if (!message) return false;
    this.current = message.view;
    this.specUri = message.specUri;
    this.skew = message.sentAt - this.now();
    for (const input of message.view.inputs) {
      if (input.stored && !input.editing) this.drafts.delete(input.key);
    }
    this.changed(true);
    return true;
  }

  toggleOutput(stepId: string, open: boolean): void {
    this.expandedSteps = { ...this.expandedSteps, [stepId]: open };
    this.changed(true);
  }

  draft(key: InputKey): string {
    return this.drafts.get(key) ?? '';
  }

  /** What is wrong with the typed value, once the user tried to save it; else the host's word on it. */
  inputError(key: InputKey): string | undefined {
    return this.errors.get(key) ?? this.current?.inputs.find((i) => i.key === key)?.error;
  }

  /** Typing: kept in memory and checked at each key (an empty field is not an error until it is saved). */
  type(key: InputKey, value: string): void {
    this.drafts.set(key, value);
    if (value === '') this.errors.delete(key);
    else this.check(key, normalizeInput(key, value));
    this.notify();
  }

  /** Save: checked here first (the host checks again), then sent; the draft is forgotten once sent. */
  submitInput(key: InputKey): void {
    const value = this.draft(key);
    if (this.check(key, normalizeInput(key, value))) {
      this.drafts.delete(key);
      this.post({ type: 'input', key, value });
    }
    this.notify();
  }

  changeInput(key: InputKey): void {
    this.post({ type: 'changeInput', key });
  }

  useStoredElsewhere(key: InputKey): void {
    this.post({ type: 'useStoredElsewhere', key });
  }

  /**
   * Start and Resume take along what is typed and not saved (checked here first, as Save does): the run uses
   * what the user sees in the fields. A typed value that fails its check stops the start with its error.
   */
  command(name: CommandName): void {
    if (name !== 'start' && name !== 'resume') return this.post({ type: 'command', name });
    const typed = [...this.drafts]
      .filter(([key, value]) => value !== '' && this.current?.inputs.some((i) => i.key === key))
      .map(([key, value]) => ({ key, value }));
    if (!typed.every(({ key, value }) => this.check(key, normalizeInput(key, value)))) return this.notify();
    for (const { key } of typed) this.drafts.delete(key);
    this.post({ type: 'command', name, ...(typed.length ? { inputs: typed } : {}) });
    this.notify();
  }

  /** A guided flow's checkbox: the host keeps it (beside the spec) and sends the list back. */
  tick(id: string, done: boolean): void {
    this.post({ type: 'check', id, done });
  }

  applyFixes(ids: string[]): void {
    this.post({ type: 'applyFixes', ids });
  }

  ready(): void {
    this.post({ type: 'ready' });
  }

  private check(key: InputKey, value: string): boolean {
    const problem = validateInput(key, value);
    if (problem) this.errors.set(key, problem);
    else this.errors.delete(key);
    return !problem;
  }

  private post(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  private changed(save: boolean): void {
    if (save && this.current) {
      this.api.setState({
        kind: this.current.kind,
        specUri: this.specUri,
        view: this.current,
        expanded: this.expandedSteps,
      });
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
