// One wizard's run state for one cluster, independent of any panel: it keeps running when the panel closes, a
// reopened panel reattaches to it. vscode-free, so unit tests drive it with a scripted engine.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseIPv4 } from '../cluster-spec/net';
import type { ClusterModel } from '../cluster-spec/types';
import type { ClusterContext } from '../clusters';
import {
  MANAGER_URL,
  OPERATIONS,
  PREFLIGHT_REPORT,
  REMOVED_NODE,
  modelProblems,
  type DryRun,
  type OperationArgs,
  type OperationPlanName,
  type Fix,
  type Plan,
  type PreflightReport,
  type RunEvent,
  type RunResult,
} from '../ops';
import { InputFields, type InputFieldsOptions } from './input-fields';
import { describeFinding, hintOf, messageOf } from './start-errors';
import { FlowChecklist, confirmBeforeRun } from './flows';
import { isFlow, operationOf } from './kinds';
import type { InputKey, RunMode, WizardKind, WizardView } from './protocol';
import type { WizardAction } from './state';
import { initialView, reduce, reportView } from './state';

/** What the wizard needs of the operations engine (OperationsEngine satisfies it; tests script one). */
export interface WizardEngine {
  plan(operation: OperationPlanName, model: ClusterModel, args?: OperationArgs): Plan;
  fix(model: ClusterModel, fixes: readonly Fix[]): Plan;
  run(plan: Plan, options?: { signal?: AbortSignal }): Promise<RunResult>;
  dryRun(plan: Plan): DryRun;
}

/** Makes the engine of one run; the composition root passes the real one (context.engine), tests a script. */
export type WizardEngineFactory = (
  context: ClusterContext,
  onEvent: (event: RunEvent) => void,
) => WizardEngine;

export const realEngines: WizardEngineFactory = (context, onEvent) => context.engine({ onEvent });

export interface ControllerOptions extends InputFieldsOptions {
  kind: WizardKind;
  /** The node (and --force) of a node-level operation. */
  args?: OperationArgs;
  /** The cluster's context as the registry has it now (it is replaced when the spec names another cluster). */
  context: () => ClusterContext | undefined;
  specLabel: string;
  engines: () => WizardEngineFactory;
  /** The last view of this wizard (after a window reload), shown until something new happens. */
  restored?: WizardView;
  fileExists?: (file: string) => boolean;
  /** Whether the workspace is trusted: nothing runs on remote machines until it is (a restored panel too). */
  trusted?: () => boolean;
}

export class WizardController {
  readonly kind: WizardKind;
  private state: WizardView;
  private readonly listeners = new Set<(view: WizardView) => void>();
  private readonly finishListeners = new Set<(view: WizardView) => void>();
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private fixes = new Map<string, Fix>();
  private readonly inputs: InputFields;
  /** A guided flow's checklist (migrate, roll back). */
  private readonly flow: FlowChecklist | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.kind = options.kind;
    this.inputs = new InputFields({
      kind: options.kind,
      context: () => this.context,
      view: () => this.state,
      dispatch: (action) => this.dispatch(action),
      options,
    });
    const model = options.context()?.model;
    const fresh = initialView(options.kind, {
      cluster: model?.name ?? '',
      specLabel: options.specLabel,
      managerUrl: managerUrlOf(model),
      node: options.args?.node,
      force: options.args?.force,
      topology: model?.topology,
    });
    this.state = options.restored
      ? reduce({ ...options.restored, kind: options.kind }, { type: 'restored' })
      : fresh;
    this.state = reduce(this.state, { type: 'problems', problems: this.problems() });
    this.flow = isFlow(this.kind)
      ? new FlowChecklist(this.kind, options.context, (items) => this.dispatch({ type: 'checklist', items }))
      : undefined;
  }

  /** The user ticks or clears one of their own items of a guided flow (the extension's are its runs'). */
  async check(id: string, done: boolean): Promise<void> {
    await this.flow?.check(id, done);
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

  private get context(): ClusterContext | undefined {
    return this.options.context();
  }

  /** Why the operation cannot run now: the spec's errors first (no connection is made while there are any). */
  private problems(): string[] {
    const context = this.context;
    if (!context) return ['The spec has no usable GatewayCluster document: fix the errors in the editor.'];
    const errors = context.errors;
    if (errors.length) return errors.map(describeFinding);
    const problems = modelProblems(context.model, operationOf(this.kind));
    const node = this.args.node;
    if (
      OPERATIONS[operationOf(this.kind)].node === 'required' &&
      !context.model.nodes.some((n) => n.hostname === node)
    )
      problems.push(
        `${node ? `"${node}" is no longer a node of the spec` : 'No node chosen'}: open this from the node in the Clusters view.`,
      );
    return problems;
  }

  /** The node (and --force) of a node-level operation; what a guided flow adds (the migration's check). */
  private get args(): OperationArgs {
    return { ...this.options.args, ...this.flow?.args() };
  }

  /** The spec changed on disk or in the editor: the next run uses the new model. */
  specChanged(specLabel?: string): void {
    if (specLabel !== undefined && specLabel !== this.state.specLabel) {
      this.state = { ...this.state, specLabel };
    }
    const model = this.context?.model;
    this.dispatch({ type: 'problems', problems: this.problems() });
    this.dispatch({ type: 'managerUrl', url: managerUrlOf(model) });
    if (model && !this.isRunning && !this.state.runId && this.state.mode !== 'dryRun') this.showPlan();
    void this.refreshInputs();
  }

  /** Lists the plan's steps as pending, before anything ran. Building a plan executes nothing. */
  showPlan(): void {
    const context = this.context;
    if (!context || this.problems().length) return;
    try {
      const plan = this.options
        .engines()(context, () => undefined)
        .plan(operationOf(this.kind), context.model, this.args);
      this.dispatch({
        type: 'plan',
        steps: plan.steps.map((s) => ({ id: s.id, title: s.title, nodes: s.nodes?.map((n) => n.hostname) })),
      });
    } catch {
      // An unusable model shows as problems; nothing to list.
    }
  }

  /** Re-reads which inputs are stored; never reads the values into the view. */
  refreshInputs(): Promise<void> {
    return this.inputs.refresh();
  }

  /** Validates and stores an input under its secret's name; the value goes nowhere else. */
  submitInput(key: InputKey, raw: string): Promise<boolean> {
    return this.inputs.submit(key, raw);
  }

  /** "Change": ask for a stored input again (the stored value stays until a new one is given). */
  changeInput(key: InputKey): Promise<void> {
    return this.inputs.change(key);
  }

  /** A secret stored for another cluster, used only after a question naming both and the hosts. */
  useStoredElsewhere(key: InputKey): Promise<boolean> {
    return this.inputs.useStoredElsewhere(key);
  }

  /**
   * Start (or Resume) with what the panel has typed and not saved: each value is checked and stored first, so
   * the run uses what the user sees; a value that fails its check stops the start with its error shown.
   */
  async startWith(mode: 'start' | 'resume', typed: ReadonlyArray<{ key: InputKey; value: string }>) {
    let ok = true;
    for (const { key, value } of typed) if (value !== '') ok = (await this.inputs.store(key, value)) && ok;
    await this.refreshInputs();
    if (!ok) {
      this.dispatch({ type: 'notice', text: 'An input was not accepted: see the field marked in red.' });
      return;
    }
    await (mode === 'start' ? this.start() : this.resume());
  }

  start(): Promise<void> {
    return this.begin('run');
  }

  /** Resume is a new run: the engine's checks skip every step that is already done. */
  resume(): Promise<void> {
    return this.begin('run');
  }

  cancel(): void {
    if (!this.abort || this.abort.signal.aborted) return;
    this.dispatch({ type: 'cancelRequested' });
    this.abort.abort();
  }

  /** The cluster's context when the spec can be used; else the panel names the problems (nothing connects). */
  private usableContext(): ClusterContext | undefined {
    const context = this.context;
    const problems = this.problems();
    if (context && !problems.length) return context;
    this.dispatch({ type: 'problems', problems });
    this.dispatch({ type: 'notice', text: 'Fix the spec first: ' + problems.join('; ') });
    return undefined;
  }

  async dryRun(): Promise<void> {
    if (this.isRunning) return;
    const context = this.usableContext();
    if (!context) return;
    try {
      const engine = this.options.engines()(context, () => undefined);
      this.dispatch({
        type: 'dryRun',
        dryRun: engine.dryRun(engine.plan(operationOf(this.kind), context.model, this.args)),
      });
      this.dispatch({
        type: 'notice',
        text: 'Dry run: the plan with its exact commands. Nothing was executed.',
      });
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
    if (this.options.trusted && !this.options.trusted()) {
      this.dispatch({ type: 'notice', text: 'Trust this workspace to run operations on remote machines.' });
      return;
    }
    const context = this.usableContext();
    if (!context) return;
    await this.refreshInputs();
    const missing = this.inputs.missingNotice();
    if (missing) {
      this.dispatch({ type: 'notice', text: missing });
      return;
    }
    if (mode === 'run' && !(await this.confirmed(context))) {
      this.dispatch({ type: 'notice', text: 'Not confirmed: nothing was run.' });
      return;
    }
    const abort = (this.abort = new AbortController());
    try {
      const operation = this.args.node ? `${this.kind} ${this.args.node}` : this.kind;
      // The panel shows the run once the lock is held: a start refused for another operation's lock leaves
      // its last run as it was.
      await context.withLock(mode === 'fix' ? 'preflight fixes' : operation, () => {
        this.dispatch({ type: 'begin', mode });
        return this.execute(context, mode, fixes, abort.signal);
      });
    } catch (err) {
      this.dispatch({ type: 'startFailed', message: messageOf(err), hint: hintOf(err) });
    } finally {
      for (const listener of this.finishListeners) listener(this.state);
    }
    if (mode === 'fix' && this.state.phase === 'succeeded' && this.kind === 'preflight') {
      this.dispatch({ type: 'notice', text: 'Fixes applied; checking again.' });
      await this.checkedRun('run', []);
    }
  }

  /** The catalog's questions before anything changes (reset, delete, de-register, the drill). */
  private confirmed(context: ClusterContext): Promise<boolean> {
    return confirmBeforeRun(this.kind, context.model, this.args.node, this.options.confirm);
  }

  private async execute(context: ClusterContext, mode: RunMode, fixes: Fix[], signal: AbortSignal) {
    const engine = this.options.engines()(context, (event) => this.dispatch({ type: 'event', event }));
    const model = context.model;
    const plan =
      mode === 'fix' ? engine.fix(model, fixes) : engine.plan(operationOf(this.kind), model, this.args);
    const result = await engine.run(plan, { signal });
    const file = path.join(context.runsDir, `${result.runId}.json`);
    this.dispatch({ type: 'transcript', available: (this.options.fileExists ?? existsSync)(file) });
    const report = result.shared.get(PREFLIGHT_REPORT) as PreflightReport | undefined;
    // Join's own preflight describes the VMs before the join repaired them: after a success it is history.
    if (report && (this.kind === 'preflight' || result.outcome !== 'succeeded')) {
      const { findings, fixes: fixViews, fixById } = reportView(report, this.kind);
      this.fixes = fixById;
      this.inputs.sudoNeeded = report.findings.some((f) => f.needsInput === 'sudoPassword');
      this.dispatch({ type: 'report', findings, fixes: fixViews });
      await this.refreshInputs();
    }
    if (this.flow && result.outcome === 'succeeded' && mode === 'run') await this.flow.succeeded(context);
    const removed = result.shared.get(REMOVED_NODE);
    if (typeof removed === 'string')
      this.dispatch({
        type: 'notice',
        text: `${removed} is out of the cluster; its entry stays in cluster.yaml until you delete it (Open spec).`,
      });
    const url = result.shared.get(MANAGER_URL);
    if (typeof url === 'string') this.dispatch({ type: 'managerUrl', url });
    if (mode === 'fix' && result.outcome === 'succeeded') {
      const ids = [...this.fixes].filter(([, fix]) => fixes.includes(fix)).map(([id]) => id);
      for (const id of ids) this.fixes.delete(id);
      this.dispatch({ type: 'fixesApplied', ids });
      if (this.kind !== 'preflight')
        this.dispatch({ type: 'notice', text: 'Fixes applied. Start to continue: what is done is skipped.' });
    }
  }

  /** Stops a run (the window is closing). */
  dispose(): void {
    this.abort?.abort();
    this.flow?.dispose();
    this.listeners.clear();
    this.finishListeners.clear();
  }
}

/** The Gateway Manager UI of a spec: https://FLOATING_IP:PORT. */
export function managerUrlOf(model: ClusterModel | undefined): string | undefined {
  if (!model || parseIPv4(model.network.floatingIp) === undefined) return undefined;
  return `https://${model.network.floatingIp}:${model.gatewayManager.port}`;
}
