// One wizard's run state for one spec, independent of any panel: it keeps running when the panel closes, a
// reopened panel reattaches to it. vscode-free, so unit tests drive it with a scripted engine.
import { existsSync } from 'node:fs';
import { sudoPasswordSecretKey } from '../ops/adapters/ssh-runner';
import { InvalidModelError, modelProblems } from '../ops/plans/validate';
import { PREFLIGHT_REPORT } from '../ops/plans/preflight';
import { MANAGER_URL } from '../ops/plans/deploy';
import type { DryRun, Fix, Plan, PreflightReport, RunEvent } from '../ops/types';
import type { RunResult } from '../ops/runner';
import type { ClusterModel } from '../cluster-spec/types';
import type { InputKey, InputView, RunMode, WizardKind, WizardView } from './protocol';
import { normalizeInput, validateInput } from './protocol';
import type { WizardAction } from './state';
import { initialView, reduce, reportView } from './state';

/** What the wizard needs of the operations engine (OperationsEngine satisfies it; tests script one). */
export interface WizardEngine {
  preflight(model: ClusterModel): Plan;
  fix(model: ClusterModel, fixes: readonly Fix[]): Plan;
  join(model: ClusterModel): Plan;
  deploy(model: ClusterModel): Plan;
  register(model: ClusterModel): Plan;
  run(plan: Plan, options?: { signal?: AbortSignal }): Promise<RunResult>;
  dryRun(plan: Plan): DryRun;
}

export interface EngineRequest {
  model: ClusterModel;
  /** The workspace folder holding the spec: transcripts go to its .gateway-cluster/runs/. */
  workspaceRoot: string | undefined;
  /** The secret-storage name of the sudo password the runner must use (see secretNames). */
  sudoPasswordSecret: string;
  /** Every run event, already masked by the engine. */
  onEvent(event: RunEvent): void;
}

export interface EngineHandle {
  engine: WizardEngine;
  /** Where the transcript of a run is (or will be) saved; undefined when runs are not recorded. */
  transcriptFile?(runId: string): string | undefined;
  dispose?(): void;
}

/** Injected by the composition root: the real one connects SSH and Kubernetes, tests pass a scripted one. */
export type WizardEngineFactory = (request: EngineRequest) => Promise<EngineHandle>;

/** The editor's secret storage as the wizard uses it. */
export interface WizardSecrets {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
}

/** The secret-storage names of the inputs of a spec: the spec's own *Secret names where it has them. */
export function secretNames(model: ClusterModel): Record<InputKey, string> {
  return {
    // The login password doubles as the sudo password (the SSH layer falls back to it the same way).
    sudoPassword: model.ssh.passwordSecret || sudoPasswordSecretKey(model),
    managerPassword: model.gatewayManager.passwordSecret,
    activationToken: model.registration?.activationTokenSecret ?? '',
  };
}

const INPUT_LABELS: Record<InputKey, string> = {
  sudoPassword: 'Sudo password on the nodes',
  managerPassword: 'Gateway Manager default password',
  activationToken: 'Activation token (Setup › Management Profiles)',
};

/** Which inputs each wizard asks for, and whether it cannot start without them. */
export function inputsFor(kind: WizardKind | 'fix'): Array<{ key: InputKey; required: boolean }> {
  switch (kind) {
    case 'preflight':
    case 'join':
    case 'fix':
      // Only when `sudo -n` is refused; the preflight finds out and then asks for it.
      return [{ key: 'sudoPassword', required: false }];
    case 'deploy':
      return [{ key: 'managerPassword', required: true }];
    case 'register':
      return [{ key: 'activationToken', required: true }];
  }
}

export interface SessionOptions {
  kind: WizardKind;
  model: ClusterModel | undefined;
  specLabel: string;
  workspaceRoot: string | undefined;
  secrets: WizardSecrets;
  engines: WizardEngineFactory;
  /** The last view of this wizard (after a window reload), shown until something new happens. */
  restored?: WizardView;
  fileExists?: (file: string) => boolean;
}

export class WizardSession {
  readonly kind: WizardKind;
  private model: ClusterModel | undefined;
  private state: WizardView;
  private readonly listeners = new Set<(view: WizardView) => void>();
  private readonly finishListeners = new Set<(view: WizardView) => void>();
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private handle: EngineHandle | undefined;
  private fixes = new Map<string, Fix>();
  private editing = new Set<InputKey>();
  private inputErrors = new Map<InputKey, string>();
  /** Set by the preflight when `sudo -n` is refused on a node. */
  private sudoNeeded = false;

  constructor(private readonly options: SessionOptions) {
    this.kind = options.kind;
    this.model = options.model;
    const fresh = initialView(options.kind, {
      cluster: options.model?.name ?? '',
      specLabel: options.specLabel,
      managerUrl: managerUrlOf(options.model),
    });
    this.state = options.restored
      ? reduce({ ...options.restored, kind: options.kind }, { type: 'restored' })
      : fresh;
    this.state = reduce(this.state, { type: 'problems', problems: this.problems() });
  }

  get view(): WizardView {
    return this.state;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the current run (if any) has ended. */
  get whenIdle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  onDidChange(listener: (view: WizardView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onDidFinish(listener: (view: WizardView) => void): () => void {
    this.finishListeners.add(listener);
    return () => this.finishListeners.delete(listener);
  }

  private dispatch(action: WizardAction): void {
    const next = reduce(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  private problems(): string[] {
    if (!this.model) return ['The spec has no usable GatewayCluster document: fix the errors in the editor.'];
    return modelProblems(this.model, this.kind);
  }

  /** The spec changed on disk or in the editor: the next run uses the new model. */
  setModel(model: ClusterModel | undefined, specLabel?: string): void {
    this.model = model;
    if (specLabel !== undefined && specLabel !== this.state.specLabel) {
      this.state = { ...this.state, specLabel };
    }
    this.dispatch({ type: 'problems', problems: this.problems() });
    this.dispatch({ type: 'managerUrl', url: managerUrlOf(model) });
    if (model && !this.isRunning && !this.state.runId && this.state.mode !== 'dryRun') this.showPlan();
    void this.refreshInputs();
  }

  /** Lists the plan's steps as pending, before anything ran. Building a plan executes nothing. */
  showPlan(): void {
    const model = this.model;
    if (!model || this.problems().length) return;
    void this.options
      .engines(this.requestFor(model, () => undefined))
      .then((handle) => {
        const plan = planOf(handle.engine, this.kind, model);
        handle.dispose?.();
        this.dispatch({
          type: 'plan',
          steps: plan.steps.map((s) => ({
            id: s.id,
            title: s.title,
            nodes: s.nodes?.map((n) => n.hostname),
          })),
        });
      })
      .catch(() => undefined);
  }

  private requestFor(model: ClusterModel, onEvent: (event: RunEvent) => void): EngineRequest {
    return {
      model,
      workspaceRoot: this.options.workspaceRoot,
      sudoPasswordSecret: secretNames(model).sudoPassword,
      onEvent,
    };
  }

  /** Re-reads which inputs are stored; never reads the values into the view. */
  async refreshInputs(): Promise<void> {
    const model = this.model;
    if (!model) return this.dispatch({ type: 'inputs', inputs: [] });
    const names = secretNames(model);
    const wanted = inputsFor(this.kind);
    const inputs: InputView[] = [];
    for (const { key, required } of wanted) {
      const secretName = names[key];
      if (!secretName) continue;
      const stored = Boolean(await this.options.secrets.get(secretName));
      inputs.push({
        key,
        label: INPUT_LABELS[key],
        secretName,
        required: required || (key === 'sudoPassword' && this.sudoNeeded),
        stored,
        editing: this.editing.has(key) || !stored,
        ...(this.inputErrors.has(key) ? { error: this.inputErrors.get(key) } : {}),
      });
    }
    this.dispatch({ type: 'inputs', inputs });
  }

  /** Validates and stores an input under the spec's secret name; the value goes nowhere else. */
  async submitInput(key: InputKey, raw: string): Promise<boolean> {
    const model = this.model;
    const secretName = model ? secretNames(model)[key] : '';
    const value = normalizeInput(key, raw);
    const error = !secretName
      ? 'The spec names no secret for this input.'
      : !inputsFor(this.kind).some((i) => i.key === key)
        ? 'This wizard does not use that input.'
        : validateInput(key, value);
    if (error) {
      this.inputErrors.set(key, error);
      await this.refreshInputs();
      return false;
    }
    await this.options.secrets.store(secretName, value);
    this.inputErrors.delete(key);
    this.editing.delete(key);
    await this.refreshInputs();
    return true;
  }

  /** "Change": ask for a stored input again (the stored value stays until a new one is given). */
  async changeInput(key: InputKey): Promise<void> {
    this.editing.add(key);
    await this.refreshInputs();
  }

  async start(): Promise<void> {
    await this.begin('run');
  }

  /** Resume is a new run: the engine's checks skip every step that is already done. */
  async resume(): Promise<void> {
    await this.begin('run');
  }

  cancel(): void {
    if (!this.abort || this.abort.signal.aborted) return;
    this.dispatch({ type: 'cancelRequested' });
    this.abort.abort();
  }

  async dryRun(): Promise<void> {
    if (this.isRunning) return;
    const model = this.model;
    const problems = this.problems();
    if (!model || problems.length) {
      this.dispatch({ type: 'notice', text: 'Fix the spec first: ' + problems.join('; ') });
      return;
    }
    try {
      const handle = await this.options.engines(this.requestFor(model, () => undefined));
      try {
        this.dispatch({
          type: 'dryRun',
          dryRun: handle.engine.dryRun(planOf(handle.engine, this.kind, model)),
        });
        this.dispatch({
          type: 'notice',
          text: 'Dry run: the plan with its exact commands. Nothing was executed.',
        });
      } finally {
        handle.dispose?.();
      }
    } catch (err) {
      this.dispatch({ type: 'startFailed', message: messageOf(err), hint: hintOf(err) });
    }
  }

  async applyFixes(ids: readonly string[]): Promise<void> {
    const fixes = ids.map((id) => this.fixes.get(id)).filter((f): f is Fix => f !== undefined);
    if (!fixes.length) {
      this.dispatch({ type: 'notice', text: 'Those fixes are no longer offered: run the preflight again.' });
      return;
    }
    await this.begin('fix', fixes);
  }

  /** Starts a run unless one is going; the returned promise (and whenIdle) ends with it. */
  private begin(mode: RunMode, fixes: Fix[] = []): Promise<void> {
    if (this.running) return this.running;
    const run = this.checkedRun(mode, fixes).finally(() => {
      if (this.running === run) this.running = undefined;
      this.abort = undefined;
    });
    this.running = run;
    return run;
  }

  private async checkedRun(mode: RunMode, fixes: Fix[]): Promise<void> {
    const model = this.model;
    const problems = this.problems();
    if (!model || problems.length) {
      this.dispatch({ type: 'problems', problems });
      this.dispatch({ type: 'notice', text: 'Fix the spec first: ' + problems.join('; ') });
      return;
    }
    await this.refreshInputs();
    const missing = this.state.inputs.filter((i) => i.required && !i.stored);
    if (missing.length) {
      this.dispatch({
        type: 'notice',
        text: `Enter ${missing.map((i) => i.label.toLowerCase()).join(' and ')} first.`,
      });
      return;
    }
    this.dispatch({ type: 'begin', mode });
    const abort = (this.abort = new AbortController());
    try {
      await this.execute(model, mode, fixes, abort.signal);
    } finally {
      for (const listener of this.finishListeners) listener(this.state);
    }
  }

  private async execute(
    model: ClusterModel,
    mode: RunMode,
    fixes: Fix[],
    signal: AbortSignal,
  ): Promise<void> {
    let result: RunResult;
    try {
      this.handle = await this.options.engines(
        this.requestFor(model, (event) => this.dispatch({ type: 'event', event })),
      );
      const engine = this.handle.engine;
      const plan = mode === 'fix' ? engine.fix(model, fixes) : planOf(engine, this.kind, model);
      result = await engine.run(plan, { signal });
    } catch (err) {
      this.dispatch({ type: 'startFailed', message: messageOf(err), hint: hintOf(err) });
      return;
    } finally {
      this.handle?.dispose?.();
    }
    const file = this.handle?.transcriptFile?.(result.runId);
    this.dispatch({
      type: 'transcript',
      available: Boolean(file && (this.options.fileExists ?? existsSync)(file)),
    });
    const report = result.shared.get(PREFLIGHT_REPORT) as PreflightReport | undefined;
    if (report) {
      const { findings, fixes: fixViews, fixById } = reportView(report);
      this.fixes = fixById;
      this.sudoNeeded = report.findings.some((f) => f.needsInput === 'sudoPassword');
      this.dispatch({ type: 'report', findings, fixes: fixViews });
      await this.refreshInputs();
    }
    const url = result.shared.get(MANAGER_URL);
    if (typeof url === 'string') this.dispatch({ type: 'managerUrl', url });
    if (mode === 'fix' && result.outcome === 'succeeded' && this.kind === 'preflight') {
      this.dispatch({ type: 'notice', text: 'Fixes applied; checking again.' });
      await this.checkedRun('run', []);
    } else if (mode === 'fix' && result.outcome === 'succeeded') {
      this.dispatch({ type: 'notice', text: 'Fixes applied. Resume to continue.' });
    }
  }

  /** Stops a run (the window is closing) and releases the engine. */
  dispose(): void {
    this.abort?.abort();
    this.listeners.clear();
    this.finishListeners.clear();
  }
}

export function planOf(engine: WizardEngine, kind: WizardKind, model: ClusterModel): Plan {
  switch (kind) {
    case 'preflight':
      return engine.preflight(model);
    case 'join':
      return engine.join(model);
    case 'deploy':
      return engine.deploy(model);
    case 'register':
      return engine.register(model);
  }
}

/** The Gateway Manager UI of a spec: https://FLOATING_IP:PORT. */
export function managerUrlOf(model: ClusterModel | undefined): string | undefined {
  if (!model || !/^\d{1,3}(\.\d{1,3}){3}$/.test(model.network.floatingIp)) return undefined;
  return `https://${model.network.floatingIp}:${model.gatewayManager.port}`;
}

function messageOf(err: unknown): string {
  if (err instanceof InvalidModelError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

function hintOf(err: unknown): string {
  return err instanceof InvalidModelError
    ? 'Fix the spec in the editor (the Problems view lists what is wrong), then start again.'
    : 'Fix the cause above, then start again.';
}
