// The operations' confirmations as the editor asks them: forcing a node out takes its name typed in (a second
// confirmation after choosing --force); a reset or a delete lists what it undoes in a modal dialog, then takes
// the cluster's name typed in (the second confirmation after the one before the run), in a box whose title
// stands alone (typed-name.ts); trusting a replaced VM's host key shows the old and the new fingerprint in a
// modal dialog and needs an explicit "the VM was replaced".
import * as vscode from 'vscode';
import type { Confirmation } from '../clusters';
import { typedNameBox } from './typed-name';

export async function confirmInEditor(question: Confirmation): Promise<boolean> {
  if (question.kind === 'reset' || question.kind === 'delete') {
    const go = 'Type the name to confirm…';
    const listed = await vscode.window.showWarningMessage(
      question.title,
      { modal: true, detail: question.detail },
      go,
    );
    if (listed !== go) return false;
  }
  if (question.kind !== 'replacedHostKey') {
    const typed = await vscode.window.showInputBox({
      ...typedNameBox({ ...question, kind: question.kind }),
      placeHolder: question.answer,
      ignoreFocusOut: true,
      validateInput: (value) =>
        value === '' || value === question.answer ? undefined : `Type ${question.answer} exactly.`,
    });
    return typed === question.answer;
  }
  const trust = 'The VM was replaced: trust the new key';
  const answer = await vscode.window.showWarningMessage(
    question.title,
    { modal: true, detail: question.detail },
    trust,
  );
  return answer === trust;
}
