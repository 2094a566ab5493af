// Commands on a pod of the Clusters view: logs (with options), describe, YAML and events (live), delete,
// copy its name.
import * as vscode from 'vscode';
import { requireTrust } from '../editor/trust';
import type { CommandFactory } from './types';
import { messageOf, runWithProgress } from './progress';
import type { LogOptions } from '../clusters';
import type { DescribeMode } from '../tree/describe-provider';
import { logLabel, openObjectDocument, pickLogOptions } from './pod-pickers';

export const showLogs: CommandFactory = (ctx) => async (arg, given) => {
  if (!requireTrust('Show Logs')) return undefined;
  const picked = await ctx.tree.pickPod(arg);
  if (!picked) return undefined;
  const { cluster, pod } = picked;
  // Options come from the caller (tests), or from the pickers; a plain click follows the first container.
  const options = (given as LogOptions | undefined) ?? (await pickLogOptions(cluster, pod));
  if (!options) return undefined;
  const label = logLabel(options);
  const key = `${cluster.key}|${pod.namespace}/${pod.name}${label ? `|${label}` : ''}`;
  const oneShot = options.follow === false || options.previous === true;
  const existing = ctx.tree.logFollows.get(key);
  if (existing && !oneShot) {
    existing.channel.show(true);
    return key;
  }
  // A log that does not follow is read again each time.
  existing?.channel.dispose();
  const channel = vscode.window.createOutputChannel(
    `Pod ${pod.namespace}/${pod.name} ${logLabel(options)}`.trim(),
  );
  const lines: string[] = [];
  let follow;
  try {
    follow = await cluster.context.live.followLogs(
      pod.namespace,
      pod.name,
      (line) => {
        lines.push(line);
        if (lines.length > 5000) lines.shift();
        channel.appendLine(line);
      },
      options,
    );
  } catch (error) {
    channel.dispose();
    void vscode.window.showErrorMessage(`Logs of ${pod.name}: ${messageOf(error)}`);
    return undefined;
  }
  ctx.tree.logFollows.set(key, { follow, channel, lines });
  channel.show(true);
  ctx.log.info(`Showing logs of ${pod.namespace}/${pod.name} ${logLabel(options)}`);
  if (!oneShot)
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
    channel.appendLine(oneShot ? '--- end of the log ---' : '--- log stream ended ---');
    // A log read once stays listed (its lines, its channel) until it is read again.
    if (!oneShot) ctx.tree.logFollows.delete(key);
  });
  return key;
};

export const stopLogs: CommandFactory = (ctx) => async (arg) => {
  const keys = typeof arg === 'string' ? [arg] : [...ctx.tree.logFollows.keys()];
  for (const key of keys) ctx.tree.logFollows.get(key)?.follow.stop();
  return keys.length;
};

const podDocument =
  (mode: DescribeMode): CommandFactory =>
  (ctx) =>
  async (arg) => {
    const picked = await ctx.tree.pickPod(arg);
    if (!picked) return undefined;
    const { cluster, pod } = picked;
    return openObjectDocument(ctx, cluster, 'pod', pod.nodeName, pod.name, pod.namespace, mode);
  };

export const describePod = podDocument('describe');
export const showPodYaml = podDocument('yaml');
export const showPodEvents = podDocument('events');

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
