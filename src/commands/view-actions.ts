// Commands of the Clusters view itself: find a pod, filter pods by name, reveal a cluster.
import * as vscode from 'vscode';
import type { TreeElement } from '../tree/elements';
import type { CommandFactory } from './types';

export const findPod: CommandFactory = (ctx) => async () => {
  const picked = await ctx.tree.pickPod(undefined);
  if (!picked) return undefined;
  await ctx.tree.revealPod(picked.cluster, picked.pod);
  return picked.pod.name;
};

export const filterPods: CommandFactory = (ctx) => async (arg) => {
  const text =
    typeof arg === 'string'
      ? arg
      : await vscode.window.showInputBox({
          prompt: 'Show only pods whose name contains…',
          value: ctx.tree.provider.filter,
        });
  if (text === undefined) return;
  ctx.tree.provider.setFilter(text);
  ctx.tree.view.message = text.trim() ? `Pods filtered by "${text.trim()}"` : undefined;
  await vscode.commands.executeCommand('setContext', 'gatewayCluster.podFilter', text.trim() !== '');
};

export const clearFilter: CommandFactory = (ctx) => async () => {
  ctx.tree.provider.setFilter('');
  ctx.tree.view.message = undefined;
  await vscode.commands.executeCommand('setContext', 'gatewayCluster.podFilter', false);
};

export const revealCluster: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.tree.pickCluster(arg);
  if (cluster)
    await ctx.tree.view.reveal(cluster as TreeElement, { select: true, focus: true, expand: true });
};

/**
 * For the extension-host tests and the benchmark: the tree as text, and its counters. Not in the palette.
 * `expand` first reveals those nodes expanded in the view, as a click would (which starts their pod watches).
 */
