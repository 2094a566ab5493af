// What the panels add around a run for the cluster lifecycle: the guided flows' checklists (their marks kept
// beside the spec, the extension's own item marked by a successful run, the other flow's marks cleared then:
// it starts over) with the migration's warning when the cluster is registered already, and the catalog's
// confirmations asked before a run starts (a reset or a delete then asks once more, naming what it found).
import type { ClusterContext, LiveList } from '../clusters';
import { OPERATIONS, confirmationQuestions, type OperationArgs, type OperationInfo } from '../ops/catalog';
import { CHECKLISTS, operationOf, wizardTitle, type FlowKind } from './kinds';
import type { ChecklistItemView, WizardKind } from './protocol';

/** The flow a successful run of `flow` makes start over: a roll back undoes a migration, and back. */
const OTHER_FLOW: Record<FlowKind, FlowKind> = { migrate: 'rollback', rollback: 'migrate' };

/** The migration's first item says "it must not be registered yet": what the panel says when it is. */
export const REGISTERED_ALREADY =
  "This cluster is registered already (the Gateway Manager reports connected): a migration starts from a cluster that is not, and Start refuses. To give it a classic gateway's management profile, roll it back first (Roll Back to Classic).";

export async function checklistOf(
  context: ClusterContext,
  flow: FlowKind,
  registration?: string,
): Promise<ChecklistItemView[]> {
  const marks = await context.checklists.read(flow).catch(() => ({}) as Record<string, boolean>);
  // Registered by this migration (its own item ticked) is no warning: that is where the flow was going.
  const warn = flow === 'migrate' && registration === 'connected' && !marks.register;
  return CHECKLISTS[flow].map((item) => ({
    ...item,
    done: Boolean(marks[item.id]),
    ...(warn && item.id === 'cluster' ? { warning: REGISTERED_ALREADY } : {}),
  }));
}

/** Marks an item of `by` (the extension's when `id` is undefined); false when there is no such item. */
export async function markChecklist(
  context: ClusterContext,
  flow: FlowKind,
  id: string | undefined,
  done: boolean,
  by: 'you' | 'extension',
): Promise<boolean> {
  const item = CHECKLISTS[flow].find((i) => i.by === by && (id === undefined || i.id === id));
  if (!item) return false;
  await context.checklists.set(flow, item.id, done);
  return true;
}

/** A guided flow's checklist in one panel: its marks, the other flow's start over, the live registration. */
export class FlowChecklist {
  private registration: string | undefined;
  private items: ChecklistItemView[] = [];
  private readonly stops: Array<() => void> = [];
  private refreshes = 0;

  constructor(
    private readonly flow: FlowKind,
    private readonly context: () => ClusterContext | undefined,
    private readonly show: (items: ChecklistItemView[]) => void,
  ) {
    const now = context();
    if (!now) return;
    this.stops.push(now.checklists.onDidChange((f) => f === flow && void this.refresh()));
    if (flow === 'migrate')
      this.stops.push(
        followRegistration(now, (state) => {
          this.registration = state;
          void this.refresh();
        }),
      );
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const context = this.context();
    if (!context) return;
    // Refreshes overlap (a tick and a registration change at once): only the latest one is shown.
    const seq = ++this.refreshes;
    const items = await checklistOf(context, this.flow, this.registration);
    if (seq !== this.refreshes) return;
    this.items = items;
    this.show(items);
  }

  /** The user ticks or clears one of their own items (the extension's are its runs'). */
  async check(id: string, done: boolean): Promise<void> {
    const context = this.context();
    if (context && (await markChecklist(context, this.flow, id, done, 'you'))) await this.refresh();
  }

  /** After a successful run: its own item ticked, and the other flow starts over. */
  async succeeded(context: ClusterContext): Promise<void> {
    await markChecklist(context, this.flow, undefined, true, 'extension');
    await context.checklists.clear(OTHER_FLOW[this.flow]);
    await this.refresh();
  }

  /** What the run's plan takes from the flow: the migration refuses a cluster registered by anyone else. */
  args(): OperationArgs {
    if (this.flow !== 'migrate') return {};
    return { migration: !this.items.some((i) => i.by === 'extension' && i.done) };
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}

/** Follows the registration's state while the cluster is connected (the tree's watch); undefined otherwise. */
export function followRegistration(
  context: ClusterContext,
  onChange: (state: string | undefined) => void,
): () => void {
  let list: LiveList<{ state: string }> | undefined;
  let listening: { dispose(): void } | undefined;
  const drop = () => {
    listening?.dispose();
    list?.dispose();
    list = listening = undefined;
  };
  const update = () => {
    const connected = context.live.state === 'connected';
    if (connected && !list) {
      const opened = (list = context.views.registration());
      listening = opened.onDidChange(() => onChange(opened.items()?.[0]?.state));
      onChange(opened.items()?.[0]?.state);
    } else if (!connected && list) {
      drop();
      onChange(undefined);
    }
  };
  const state = context.live.onDidChangeState(update);
  update();
  return () => {
    state.dispose();
    drop();
  };
}

/**
 * The catalog's questions before a run starts (reset, delete, de-register and the roll back, the drill):
 * false when one is declined, or when nothing can ask.
 */
export async function confirmBeforeRun(
  kind: WizardKind,
  model: { name: string; topology?: string },
  node: string | undefined,
  confirm: ((message: string, detail: string, action: string) => Promise<boolean>) | undefined,
): Promise<boolean> {
  const operation = operationOf(kind);
  const info: OperationInfo = OPERATIONS[operation];
  // Reset and delete ask once more in the run, listing what they found: their button says more follows.
  const asksAgain = operation === 'reset' || operation === 'delete';
  const action = `${wizardTitle(kind, model.topology)}${asksAgain ? '…' : ''}`;
  for (const question of confirmationQuestions(info, {
    cluster: model.name,
    node,
    topology: model.topology,
  })) {
    const [message, detail] = asksAgain
      ? [question, 'The run lists exactly what it finds to undo and asks once more, for the cluster’s name.']
      : splitQuestion(question);
    if (!confirm || !(await confirm(message, detail, action))) return false;
  }
  return true;
}

/** "Stop X for the drill? It stays stopped …": the question as the dialog's message, the rest as its detail. */
export function splitQuestion(question: string): [string, string] {
  const end = question.indexOf('? ');
  return end < 0 ? [question, ''] : [question.slice(0, end + 1), question.slice(end + 2)];
}
