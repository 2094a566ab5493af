// The input box that takes a name typed in to confirm (vscode-free, so the unit tier checks its words). Its
// title stands alone: a reset's or delete's list was in the modal before it, and the box cannot show it.
import type { Confirmation } from '../clusters';

export interface TypedNameBox {
  title: string;
  prompt: string;
}

/** The confirmations answered by typing a name (a replaced VM's key is confirmed in a modal). */
export type TypedConfirmation = Confirmation & { kind: 'forceRemove' | 'reset' | 'delete' };

export function typedNameBox(question: TypedConfirmation): TypedNameBox {
  if (question.kind === 'forceRemove')
    return { title: question.title, prompt: `${question.detail} Type ${question.answer} to confirm.` };
  const count = question.undoes;
  const undone = count === undefined ? '' : ` (${count} thing${count === 1 ? '' : 's'} undone)`;
  return {
    title: `Type ${question.answer} to ${question.kind} it${undone}`,
    prompt: 'What the list showed is undone. Escape leaves the cluster as it is.',
  };
}
