// What the panels add around a run for the cluster lifecycle: the guided flows' checklists (their marks kept
// beside the spec, the extension's own item marked by a successful run) and the catalog's confirmations asked
// before a run starts (a reset or a delete then asks once more, naming what it found to undo).
import type { ClusterContext } from '../clusters';
import { OPERATIONS, confirmationQuestions, type OperationInfo } from '../ops/catalog';
import { CHECKLISTS, operationOf, wizardTitle, type FlowKind } from './kinds';
import type { ChecklistItemView, WizardKind } from './protocol';

export async function checklistOf(context: ClusterContext, flow: FlowKind): Promise<ChecklistItemView[]> {
  const marks = await context.checklists.read(flow).catch(() => ({}) as Record<string, boolean>);
  return CHECKLISTS[flow].map((item) => ({ ...item, done: Boolean(marks[item.id]) }));
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
  const detail = asksAgain
    ? 'The run lists exactly what it finds to undo and asks once more, for the cluster’s name.'
    : '';
  const action = `${wizardTitle(kind, model.topology)}${asksAgain ? '…' : ''}`;
  for (const question of confirmationQuestions(info, { cluster: model.name, node, topology: model.topology }))
    if (!confirm || !(await confirm(question, detail, action))) return false;
  return true;
}
