import * as vscode from 'vscode';
import { countFindings, formatCounts } from '../cluster-spec/counts';
import type { CommandFactory } from './types';

/** "Validate All Cluster Specs": every spec in the workspace, open or not, into the Problems view, with counts. */
export const validateAllSpecs: CommandFactory = (ctx) => async () => {
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Validating cluster specs' },
    () => ctx.specs.validateAll(),
  );
  const counts = countFindings(results.flatMap((r) => r.result.findings));
  const summary = `${results.length} cluster spec${results.length === 1 ? '' : 's'}: ${formatCounts(counts)}.`;
  if (counts.errors + counts.warnings > 0) {
    // Not awaited: the command returns its counts while the message waits for the user.
    void vscode.window.showWarningMessage(summary, 'Show Problems').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  } else {
    void vscode.window.showInformationMessage(summary);
  }
  return { specs: results.length, ...counts };
};
