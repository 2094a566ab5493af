// Commands of the Clusters view. Each takes the tree element it was invoked on, or asks with a picker
// (command palette). Long actions run under withProgress with cancel and log to the output channel.
import * as vscode from 'vscode';
import { createSshPty } from '../tree/ssh-terminal';
import { drainConfirmation } from '../tree/core';
import type { ClusterElement, TreeElement } from '../tree/elements';
import type { CommandFactory, ExtensionContextBag } from './types';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Remote actions refuse to run in an untrusted workspace (menus hide them too), saying why. */
function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    `${action} runs commands on remote machines, which is disabled in an untrusted workspace. Trust the workspace to use it.`,
  );
  return false;
}

async function runWithProgress<T>(
  ctx: ExtensionContextBag,
  title: string,
  task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
  fix?: string,
): Promise<T | undefined> {
  ctx.log.info(title);
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return task(controller.signal, (message) => {
          progress.report({ message });
          ctx.log.info(message);
        });
      },
    );
  } catch (error) {
    const message = messageOf(error);
    ctx.log.error(`${title} failed: ${message}`);
    void vscode.window.showErrorMessage(`${title} failed: ${message}${fix ? ` ${fix}` : ''}`);
    return undefined;
  }
}

function connected(cluster: ClusterElement): boolean {
  const state = cluster.session?.state;
  if (state === 'connected' || state === 'unreachable') return true;
  void vscode.window.showWarningMessage(`Connect to ${cluster.model.name} first.`);
  return false;
}

export const connectCluster: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Connect')) return false;
  const cluster = await ctx.clusters.pickCluster(arg, 'Cluster to connect');
  if (!cluster) return false;
  const ok = await runWithProgress(
    ctx,
    `Connecting to ${cluster.model.name}`,
    async (signal) => {
      await ctx.clusters.provider.connect(cluster, signal);
      return true;
    },
    'Check that node 1 answers SSH with the spec’s user and key, and that MicroK8s runs (microk8s status).',
  );
  if (ok) void vscode.window.setStatusBarMessage(`Connected to ${cluster.model.name}`, 3000);
  return ok === true;
};

export const connectAll: CommandFactory = (ctx) => async () => {
  if (!requireTrust('Connect All')) return 0;
  const clusters = await ctx.clusters.provider.allClusters();
  const results = await Promise.all(
    clusters
      .filter((c) => (c.session?.state ?? 'disconnected') === 'disconnected')
      .map((c) =>
        ctx.clusters.provider.connect(c).then(
          () => true,
          (error: unknown) => {
            ctx.log.error(`Connecting to ${c.model.name} failed: ${messageOf(error)}`);
            return false;
          },
        ),
      ),
  );
  const failed = results.filter((r) => !r).length;
  if (failed > 0)
    void vscode.window.showErrorMessage(
      `${failed} cluster(s) could not connect: see the Gateway Clusters log.`,
    );
  return results.length - failed;
};

export const disconnectCluster: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.clusters.pickCluster(arg, 'Cluster to disconnect');
  if (!cluster) return;
  await ctx.clusters.provider.disconnect(cluster);
  ctx.log.info(`Disconnected from ${cluster.model.name}`);
};

export const retryCluster: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.clusters.pickCluster(arg);
  if (cluster) ctx.clusters.provider.retry(cluster);
};

export const openSpec: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.clusters.pickCluster(arg, 'Cluster whose spec to open');
  if (!cluster) return;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(cluster.specUri));
  const range = cluster.document.range;
  const start = new vscode.Position(range.start.line, range.start.character);
  await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(start, start),
    preview: false,
  });
};

export const openGatewayManager: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.clusters.pickCluster(arg, 'Cluster whose Gateway Manager to open');
  if (!cluster) return undefined;
  const ip = cluster.model.network.floatingIp;
  if (!ip) {
    void vscode.window.showWarningMessage(`${cluster.model.name} has no network.floatingIp in its spec.`);
    return undefined;
  }
  const uri = vscode.Uri.parse(`https://${ip}:${cluster.model.gatewayManager.port || 5480}`);
  await vscode.env.openExternal(uri);
  return uri.toString();
};

export const exportKubeconfig: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Export Kubeconfig')) return undefined;
  const cluster = await ctx.clusters.pickCluster(arg, 'Cluster whose kubeconfig to export');
  if (!cluster || !connected(cluster)) return undefined;
  const proceed = 'Choose Location…';
  const answer = await vscode.window.showWarningMessage(
    `The kubeconfig of ${cluster.model.name} holds admin credentials for the cluster.`,
    {
      modal: true,
      detail: 'Keep the file private (it is written with mode 0600) and out of version control.',
    },
    proceed,
  );
  if (answer !== proceed) return undefined;
  const target = await vscode.window.showSaveDialog({
    title: 'Export kubeconfig',
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(`${cluster.model.name}.kubeconfig`),
  });
  if (!target) return undefined;
  const text = await cluster.session!.kubeconfig();
  const { promises: fs } = await import('node:fs');
  await fs.writeFile(target.fsPath, text, { mode: 0o600 });
  ctx.log.info(`Exported the kubeconfig of ${cluster.model.name} to ${target.fsPath}`);
  void vscode.window.showInformationMessage(`Kubeconfig written to ${target.fsPath}.`);
  return target.fsPath;
};

export const openTerminal: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Open SSH Terminal')) return undefined;
  const node = await ctx.clusters.pickNode(arg);
  if (!node) return undefined;
  const specNode = node.cluster.model.nodes.find((n) => n.hostname === node.name);
  if (!specNode) {
    void vscode.window.showWarningMessage(`${node.name} is not in the spec: its SSH settings are unknown.`);
    return undefined;
  }
  const session = ctx.clusters.provider.sessionOf(node.cluster);
  const pty = createSshPty(`${specNode.hostname} (${specNode.address})`, (size) =>
    session.openShell(specNode, size),
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
  const node = await ctx.clusters.pickNode(arg);
  if (!node) return;
  const specNode = node.cluster.model.nodes.find((n) => n.hostname === node.name);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(node.cluster.specUri));
  const range = specNode
    ? node.cluster.document.rangeOf(['spec', 'nodes', specNode.index], 'node')
    : undefined;
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
    const node = await ctx.clusters.pickNode(arg);
    if (!node || !connected(node.cluster)) return false;
    const ok = await runWithProgress(
      ctx,
      `${cordoned ? 'Cordoning' : 'Uncordoning'} ${node.name}`,
      async () => {
        await node.cluster.session!.setCordoned(node.name, cordoned);
        return true;
      },
    );
    return ok === true;
  };
export const cordonNode = cordon(true);
export const uncordonNode = cordon(false);

export const drainNode: CommandFactory = (ctx) => async (arg, options) => {
  if (!requireTrust('Drain')) return false;
  const node = await ctx.clusters.pickNode(arg);
  if (!node || !connected(node.cluster)) return false;
  const session = node.cluster.session!;
  const pods = await session.listPods(node.name);
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
      await session.drain(node.name, { signal, onProgress: report });
      return true;
    },
    `${node.name} stays cordoned; uncordon it when done.`,
  );
  if (ok) void vscode.window.showInformationMessage(`${node.name} is drained and cordoned.`);
  return ok === true;
};

export const copyAddress: CommandFactory = (ctx) => async (arg) => {
  const node = await ctx.clusters.pickNode(arg);
  const address = node && ctx.clusters.provider.mergedNode(node)?.address;
  if (address) await vscode.env.clipboard.writeText(address);
  return address;
};

export const showLogs: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Show Logs')) return undefined;
  const picked = await ctx.clusters.pickPod(arg);
  if (!picked) return undefined;
  const { cluster, pod } = picked;
  const key = `${cluster.key}|${pod.namespace}/${pod.name}`;
  const existing = ctx.clusters.logFollows.get(key);
  if (existing) {
    existing.channel.show(true);
    return key;
  }
  const channel = vscode.window.createOutputChannel(`Pod ${pod.namespace}/${pod.name}`);
  const lines: string[] = [];
  const follow = await cluster.session!.followLogs(pod.namespace, pod.name, (line) => {
    lines.push(line);
    if (lines.length > 5000) lines.shift();
    channel.appendLine(line);
  });
  ctx.clusters.logFollows.set(key, { follow, channel, lines });
  channel.show(true);
  ctx.log.info(`Following logs of ${pod.namespace}/${pod.name}`);
  // A notification with Cancel is the stop button; it stays while the stream follows.
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Following logs of ${pod.name}`,
      cancellable: true,
    },
    async (_progress, token) => {
      token.onCancellationRequested(() => follow.stop());
      await follow.done;
    },
  );
  void follow.done.then(() => {
    channel.appendLine('--- log stream ended ---');
    ctx.clusters.logFollows.delete(key);
  });
  return key;
};

export const stopLogs: CommandFactory = (ctx) => async (arg) => {
  const keys = typeof arg === 'string' ? [arg] : [...ctx.clusters.logFollows.keys()];
  for (const key of keys) ctx.clusters.logFollows.get(key)?.follow.stop();
  return keys.length;
};

export const describePod: CommandFactory = (ctx) => async (arg) => {
  const picked = await ctx.clusters.pickPod(arg);
  if (!picked) return undefined;
  const { cluster, pod } = picked;
  const uri = ctx.clusters.describe.uriFor(
    cluster.model.name,
    cluster.session!,
    'pod',
    pod.nodeName,
    pod.name,
    pod.namespace,
  );
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'yaml');
  await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  return uri.toString();
};

export const deletePod: CommandFactory = (ctx) => async (arg, options) => {
  if (!requireTrust('Delete Pod')) return false;
  const picked = await ctx.clusters.pickPod(arg);
  if (!picked) return false;
  const { cluster, pod } = picked;
  if ((options as { confirmed?: boolean } | undefined)?.confirmed !== true) {
    const remove = 'Delete';
    const owner = pod.ownerKind
      ? `Its ${pod.ownerKind} recreates it.`
      : 'It has no controller and will not come back.';
    const answer = await vscode.window.showWarningMessage(
      `Delete pod ${pod.namespace}/${pod.name}? ${owner}`,
      { modal: true },
      remove,
    );
    if (answer !== remove) return false;
  }
  const ok = await runWithProgress(ctx, `Deleting ${pod.namespace}/${pod.name}`, async () => {
    await cluster.session!.deletePod(pod.namespace, pod.name);
    return true;
  });
  return ok === true;
};

export const copyPodName: CommandFactory = (ctx) => async (arg) => {
  const picked = await ctx.clusters.pickPod(arg);
  if (picked) await vscode.env.clipboard.writeText(picked.pod.name);
  return picked?.pod.name;
};

export const findPod: CommandFactory = (ctx) => async () => {
  const picked = await ctx.clusters.pickPod(undefined);
  if (!picked) return undefined;
  await ctx.clusters.revealPod(picked.cluster, picked.pod);
  return picked.pod.name;
};

export const filterPods: CommandFactory = (ctx) => async (arg) => {
  const text =
    typeof arg === 'string'
      ? arg
      : await vscode.window.showInputBox({
          prompt: 'Show only pods whose name contains…',
          value: ctx.clusters.provider.filter,
        });
  if (text === undefined) return;
  ctx.clusters.provider.setFilter(text);
  ctx.clusters.view.message = text.trim() ? `Pods filtered by "${text.trim()}"` : undefined;
  await vscode.commands.executeCommand('setContext', 'gatewayCluster.podFilter', text.trim() !== '');
};

export const clearFilter: CommandFactory = (ctx) => async () => {
  ctx.clusters.provider.setFilter('');
  ctx.clusters.view.message = undefined;
  await vscode.commands.executeCommand('setContext', 'gatewayCluster.podFilter', false);
};

export const revealCluster: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.clusters.pickCluster(arg);
  if (cluster)
    await ctx.clusters.view.reveal(cluster as TreeElement, { select: true, focus: true, expand: true });
};

/**
 * For the extension-host tests and the benchmark: the tree as text, and its counters. Not in the palette.
 * `expand` first reveals those nodes expanded in the view, as a click would (which starts their pod watches).
 */
export const treeSnapshot: CommandFactory = (ctx) => async (options) => {
  const wanted = options as
    { flush?: boolean; expand?: Array<{ cluster: string; node: string }> } | undefined;
  for (const target of wanted?.expand ?? []) {
    const node = await ctx.clusters.pickNode(target);
    if (!node) throw new Error(`no node ${target.node} in ${target.cluster}`);
    await ctx.clusters.view.reveal(node, { expand: true, select: false, focus: false });
  }
  if (wanted?.flush) ctx.clusters.provider.flush();
  return {
    items: await ctx.clusters.snapshot(),
    stats: { ...ctx.clusters.provider.stats },
    activePodWatches: ctx.clusters.provider.activePodWatches,
    badge: ctx.clusters.view.badge?.value ?? 0,
    statusBar: ctx.clusters.statusBarText,
    logs: Object.fromEntries([...ctx.clusters.logFollows].map(([k, v]) => [k, v.lines.slice(-50)])),
  };
};
