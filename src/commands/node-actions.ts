// Commands on a node of the Clusters view: SSH terminal, reveal in spec, cordon, drain, copy its address.
import * as vscode from 'vscode';
import { requireTrust } from '../editor/trust';
import type { CommandFactory } from './types';
import { createSshPty } from '../tree/ssh-terminal';
import { drainConfirmation } from '../tree/core';
import { connected, runWithProgress } from './progress';

export const openTerminal: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Open SSH Terminal')) return undefined;
  const node = await ctx.tree.pickNode(arg);
  if (!node) return undefined;
  const specNode = node.cluster.context.model.nodes.find((n) => n.hostname === node.name);
  if (!specNode) {
    void vscode.window.showWarningMessage(`${node.name} is not in the spec: its SSH settings are unknown.`);
    return undefined;
  }
  const live = node.cluster.context.live;
  const pty = createSshPty(`${specNode.hostname} (${specNode.address})`, (size) =>
    live.openShell(specNode, size),
  );
  const terminal = vscode.window.createTerminal({
    name: `SSH ${specNode.hostname}`,
    pty,
    iconPath: new vscode.ThemeIcon('terminal'),
  });
  terminal.show();
  ctx.log.info(`Opened an SSH terminal on ${specNode.hostname} (${specNode.address})`);
  return terminal;
};

export const revealInSpec: CommandFactory = (ctx) => async (arg) => {
  const node = await ctx.tree.pickNode(arg);
  if (!node) return;
  const specNode = node.cluster.context.model.nodes.find((n) => n.hostname === node.name);
  const uri = vscode.Uri.parse(node.cluster.specUri);
  const document = await vscode.workspace.openTextDocument(uri);
  const specDocument = ctx.specs
    .get(uri)
    ?.result.documents.find((d) => d.index === node.cluster.context.documentIndex);
  const range = specNode ? specDocument?.rangeOf(['spec', 'nodes', specNode.index], 'node') : undefined;
  const selection = range
    ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character)
    : undefined;
  if (!specNode) void vscode.window.showInformationMessage(`${node.name} is not in the spec.`);
  await vscode.window.showTextDocument(document, { selection, preview: false });
};

const cordon =
  (cordoned: boolean): CommandFactory =>
  (ctx) =>
  async (arg) => {
    if (!requireTrust(cordoned ? 'Cordon' : 'Uncordon')) return false;
    const node = await ctx.tree.pickNode(arg);
    if (!node || !connected(node.cluster)) return false;
    const ok = await runWithProgress(
      ctx,
      `${cordoned ? 'Cordoning' : 'Uncordoning'} ${node.name}`,
      async () => {
        await node.cluster.context.withLock(cordoned ? 'cordon' : 'uncordon', () =>
          node.cluster.context.live.setCordoned(node.name, cordoned),
        );
        return true;
      },
    );
    return ok === true;
  };
export const cordonNode = cordon(true);
export const uncordonNode = cordon(false);

export const drainNode: CommandFactory = (ctx) => async (arg, options) => {
  if (!requireTrust('Drain')) return false;
  const node = await ctx.tree.pickNode(arg);
  if (!node || !connected(node.cluster)) return false;
  const live = node.cluster.context.live;
  const pods = await live.listPods(node.name);
  const skipConfirm = (options as { confirmed?: boolean } | undefined)?.confirmed === true;
  if (!skipConfirm) {
    const drain = 'Drain';
    const answer = await vscode.window.showWarningMessage(
      drainConfirmation(node.name, pods),
      { modal: true },
      drain,
    );
    if (answer !== drain) return false;
  }
  const ok = await runWithProgress(
    ctx,
    `Draining ${node.name}`,
    async (signal, report) => {
      await node.cluster.context.withLock(`drain ${node.name}`, () =>
        live.drain(node.name, { signal, onProgress: report }),
      );
      return true;
    },
    `${node.name} stays cordoned; uncordon it when done.`,
  );
  if (ok) void vscode.window.showInformationMessage(`${node.name} is drained and cordoned.`);
  return ok === true;
};

export const copyAddress: CommandFactory = (ctx) => async (arg) => {
  const node = await ctx.tree.pickNode(arg);
  const address = node && ctx.tree.provider.mergedNode(node)?.address;
  if (address) await vscode.env.clipboard.writeText(address);
  return address;
};
