// The "Build your first gateway cluster" walkthrough completes its steps from what really happened: each
// operation's step when a run of it succeeded (a context key the walkthrough's completion events watch).
import type * as vscode from 'vscode';
import type { WizardView } from './protocol';

/** The context key that completes the walkthrough step of `kind` (package.json's completionEvents). */
export const walkthroughKey = (kind: string): string => `gatewayCluster.walkthrough.${kind}Succeeded`;

export function followWalkthrough(
  onDidFinishRun: vscode.Event<WizardView>,
  setContext: (key: string, value: boolean) => void,
): vscode.Disposable {
  return onDidFinishRun((view) => {
    if (view.phase === 'succeeded' && view.mode === 'run') setContext(walkthroughKey(view.kind), true);
  });
}
