// The node lifecycle's wizards: Add Nodes on a cluster, and Remove Node, Replace Node and the Node-Failure
// Drill on a node. From the tree they get the node; from the palette they ask for the cluster and a spec node.
// Remove Node on a node that is NotReady asks whether it is gone for good (--force).
import * as vscode from 'vscode';
import { wizardTitle } from '../wizards/kinds';
import type { WizardKind } from '../wizards/protocol';
import type { CommandFactory } from './types';

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage('Trust this workspace to run operations on remote machines.');
  return false;
}

/** The cluster and spec node a node-level wizard works on: the tree's node, or picked. */
async function target(
  ctx: Parameters<CommandFactory>[0],
  arg: unknown,
  kind: WizardKind,
): Promise<
  { specUri: vscode.Uri; documentIndex: number; node: string; ready: boolean | undefined } | undefined
> {
  const element = await ctx.tree.pickNode(arg);
  if (!element) return undefined;
  const context = element.cluster.context;
  if (!context.model.nodes.some((n) => n.hostname === element.name)) {
    void vscode.window.showWarningMessage(
      `${element.name} is not in the spec: ${wizardTitle(kind)} works on the spec's nodes.`,
    );
    return undefined;
  }
  const api = context.live.nodes()?.find((n) => n.name === element.name);
  return {
    specUri: vscode.Uri.parse(element.cluster.specUri),
    documentIndex: context.documentIndex,
    node: element.name,
    ready: api?.ready,
  };
}

function nodeWizard(
  kind: Exclude<WizardKind, 'preflight' | 'join' | 'deploy' | 'register' | 'add-node'>,
): CommandFactory {
  return (ctx) => async (arg?: unknown) => {
    if (!trusted()) return;
    const picked = await target(ctx, arg, kind);
    if (!picked) return;
    let force = false;
    if (kind === 'remove-node' && picked.ready === false) {
      const normal = `Remove ${picked.node}: drain, leave, remove-node`;
      const forced = `Remove ${picked.node} by force: it is gone for good`;
      const choice = await vscode.window.showQuickPick([normal, forced], {
        placeHolder: `${picked.node} is NotReady. Will it come back?`,
      });
      if (!choice) return;
      force = choice === forced;
    }
    await ctx.specs.ensure(picked.specUri);
    await ctx.wizards.open(kind, picked.specUri, picked.documentIndex, {
      node: picked.node,
      ...(force ? { force } : {}),
    });
  };
}

export const openRemoveNode = nodeWizard('remove-node');
export const openReplaceNode = nodeWizard('replace-node');
export const openDrill = nodeWizard('drill');
