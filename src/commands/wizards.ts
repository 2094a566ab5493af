// The cluster-level wizard commands. Each takes a spec Uri (code lenses pass the document's Uri), a tree element
// (the cluster's context menu), or nothing (palette: the active spec, else a picker).
import * as vscode from 'vscode';
import { hasSpecFileName } from '../cluster-spec/recognize';
import type { WizardKind } from '../wizards/protocol';
import type { CommandFactory, CommandContext } from './types';

async function specOf(
  ctx: CommandContext,
  arg: unknown,
  kind: WizardKind,
  documentIndex: unknown,
): Promise<{ uri: vscode.Uri; documentIndex: number } | undefined> {
  // Code lenses pass the document's Uri and the YAML document's index.
  if (arg instanceof vscode.Uri)
    return { uri: arg, documentIndex: typeof documentIndex === 'number' ? documentIndex : 0 };
  if (typeof arg === 'string' && /^[a-z][\w+.-]*:/i.test(arg))
    return { uri: vscode.Uri.parse(arg), documentIndex: 0 };
  if (arg === undefined) {
    const active = vscode.window.activeTextEditor?.document;
    if (active && hasSpecFileName(active.fileName)) return { uri: active.uri, documentIndex: 0 };
  }
  const cluster = await ctx.tree.pickCluster(arg, `Cluster to ${kind === 'preflight' ? 'check' : kind}`);
  return cluster
    ? { uri: vscode.Uri.parse(cluster.specUri), documentIndex: cluster.context.documentIndex }
    : undefined;
}

function openWizard(kind: WizardKind): CommandFactory {
  return (ctx) => async (arg?: unknown, documentIndex?: unknown) => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Trust this workspace to run operations on remote machines.');
      return;
    }
    const spec = await specOf(ctx, arg, kind, documentIndex);
    if (!spec) {
      void vscode.window.showInformationMessage('No cluster spec (cluster.yaml) found in this workspace.');
      return;
    }
    // The wizard works on the cluster's context: make sure the spec service has validated the spec.
    await ctx.specs.ensure(spec.uri);
    await ctx.wizards.open(kind, spec.uri, spec.documentIndex);
  };
}

export const openPreflight = openWizard('preflight');
export const openJoin = openWizard('join');
export const openDeploy = openWizard('deploy');
export const openRegister = openWizard('register');
export const openAddNode = openWizard('add-node');
export const openInstall = openWizard('install');
export const openConfigureLb = openWizard('configure-lb');
export const openConfigureAgents = openWizard('configure-agents');
export const openValidateCluster = openWizard('validate-cluster');
export const openDiagnostics = openWizard('diagnostics');
export const openDeregister = openWizard('deregister');
export const openMigrate = openWizard('migrate');
export const openRollback = openWizard('rollback');
export const openReset = openWizard('reset');
export const openDelete = openWizard('delete');
