// Commands on a pod of the Clusters view: logs (follow), describe (live), delete, copy its name.
import * as vscode from 'vscode';
import { requireTrust } from '../editor/trust';
import type { CommandFactory } from './types';
import { runWithProgress } from './progress';

export const showLogs: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Show Logs')) return undefined;
  const picked = await ctx.tree.pickPod(arg);
  if (!picked) return undefined;
  const { cluster, pod } = picked;
  const key = `${cluster.key}|${pod.namespace}/${pod.name}`;
  const existing = ctx.tree.logFollows.get(key);
  if (existing) {
    existing.channel.show(true);
    return key;
  }
  const channel = vscode.window.createOutputChannel(`Pod ${pod.namespace}/${pod.name}`);
  const lines: string[] = [];
  const follow = await cluster.context.live.followLogs(pod.namespace, pod.name, (line) => {
    lines.push(line);
    if (lines.length > 5000) lines.shift();
    channel.appendLine(line);
  });
  ctx.tree.logFollows.set(key, { follow, channel, lines });
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
    ctx.tree.logFollows.delete(key);
  });
  return key;
};

export const stopLogs: CommandFactory = (ctx) => async (arg) => {
  const keys = typeof arg === 'string' ? [arg] : [...ctx.tree.logFollows.keys()];
  for (const key of keys) ctx.tree.logFollows.get(key)?.follow.stop();
  return keys.length;
};

export const describePod: CommandFactory = (ctx) => async (arg) => {
  const picked = await ctx.tree.pickPod(arg);
  if (!picked) return undefined;
  const { cluster, pod } = picked;
  const uri = ctx.tree.describe.uriFor(
    cluster.context.model.name,
    cluster.context.live,
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
  const picked = await ctx.tree.pickPod(arg);
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
    await cluster.context.withLock(`delete pod ${pod.name}`, () =>
      cluster.context.live.deletePod(pod.namespace, pod.name),
    );
    return true;
  });
  return ok === true;
};

export const copyPodName: CommandFactory = (ctx) => async (arg) => {
  const picked = await ctx.tree.pickPod(arg);
  if (picked) await vscode.env.clipboard.writeText(picked.pod.name);
  return picked?.pod.name;
};
