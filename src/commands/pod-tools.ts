// The operator's tools on a pod: a shell in a container (exec), a port-forward to one of its ports, and the
// actions on the workload that owns it: rollout restart (with the rollout's progress) and scale.
import * as vscode from 'vscode';
import { requireTrust } from '../editor/trust';
import { createExecPty } from '../tree/exec-terminal';
import type { CommandFactory } from './types';
import { connected, runWithProgress } from './progress';
import { containersOf, pickContainer } from './pod-pickers';

export const openShell: CommandFactory = (ctx) => async (arg, given) => {
  if (!requireTrust('Open Shell')) return undefined;
  const picked = await ctx.tree.pickPod(arg);
  if (!picked || !connected(picked.cluster)) return undefined;
  const { cluster, pod } = picked;
  const choices = (await containersOf(cluster, pod)).filter((c) => !c.init);
  const container =
    (given as { container?: string } | undefined)?.container ??
    (await pickContainer(choices, `Container of ${pod.name} to open a shell in`));
  if (!container) return undefined;
  const pty = createExecPty(cluster.context.views, { namespace: pod.namespace, pod: pod.name, container });
  const terminal = vscode.window.createTerminal({
    name: `${pod.name} [${container}]`,
    pty,
    iconPath: new vscode.ThemeIcon('terminal-bash'),
  });
  terminal.show();
  await pty.ready;
  ctx.log.info(`Opened a shell in ${pod.namespace}/${pod.name} [${container}]`);
  return { terminal, shell: () => pty.shell() ?? 'bash' };
};

export const portForwardPod: CommandFactory = (ctx) => async (arg, given) => {
  if (!requireTrust('Port Forward')) return undefined;
  const picked = await ctx.tree.pickPod(arg);
  if (!picked || !connected(picked.cluster)) return undefined;
  const { cluster, pod } = picked;
  const options = given as { port?: number; localPort?: number } | undefined;
  let port = options?.port;
  if (port === undefined) {
    const object = (await cluster.context.live.readPod(pod.namespace, pod.name)) as {
      spec?: { containers?: Array<{ ports?: Array<{ containerPort: number; name?: string }> }> };
    };
    const declared = (object.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
    const text = await vscode.window.showInputBox({
      prompt: `Port of ${pod.name} to forward to (a local port on 127.0.0.1 is picked)`,
      value: String(declared[0]?.containerPort ?? ''),
      placeHolder: declared.map((p) => `${p.containerPort}${p.name ? ` (${p.name})` : ''}`).join(', '),
      validateInput: (v) =>
        /^\d+$/.test(v.trim()) && Number(v) > 0 && Number(v) < 65536 ? undefined : 'A port number',
    });
    if (!text) return undefined;
    port = Number(text.trim());
  }
  try {
    const forward = await cluster.context.views.forward(
      { label: `pod ${pod.namespace}/${pod.name}`, namespace: pod.namespace, pod: pod.name, port },
      options?.localPort,
    );
    void vscode.window.setStatusBarMessage(
      `Forwarding 127.0.0.1:${forward.localPort} → ${pod.name}:${port}`,
      5000,
    );
    return forward;
  } catch (error) {
    void vscode.window.showErrorMessage(`Port forward to ${pod.name}:${port} failed: ${String(error)}`);
    return undefined;
  }
};

/** The pod's Deployment or StatefulSet, or says it has none. */
async function workloadOf(ctx: Parameters<CommandFactory>[0], arg: unknown) {
  const picked = await ctx.tree.pickPod(arg);
  if (!picked || !connected(picked.cluster)) return undefined;
  const workload = await picked.cluster.context.views.workloadOf(picked.pod.namespace, picked.pod.name);
  if (!workload) {
    void vscode.window.showWarningMessage(`${picked.pod.name} belongs to no Deployment or StatefulSet.`);
    return undefined;
  }
  return { ...picked, workload };
}

export const restartWorkload: CommandFactory = (ctx) => async (arg, given) => {
  if (!requireTrust('Restart')) return false;
  const found = await workloadOf(ctx, arg);
  if (!found) return false;
  const { cluster, pod, workload } = found;
  const target = `${workload.kind} ${pod.namespace}/${workload.name}`;
  if ((given as { confirmed?: boolean } | undefined)?.confirmed !== true) {
    const restart = 'Restart';
    const answer = await vscode.window.showWarningMessage(
      `Restart ${target}? Each of its pods is replaced, one after another (rollout restart).`,
      { modal: true },
      restart,
    );
    if (answer !== restart) return false;
  }
  const done = await runWithProgress(ctx, `Restarting ${target}`, async (signal, report) => {
    await cluster.context.withLock(`restart ${workload.name}`, () =>
      cluster.context.views.restart(workload.kind, pod.namespace, workload.name, signal),
    );
    return cluster.context.views.rollout(workload.kind, pod.namespace, workload.name, {
      signal,
      onProgress: report,
    });
  });
  if (done) void vscode.window.showInformationMessage(done.message);
  return done?.done === true;
};

export const scaleWorkload: CommandFactory = (ctx) => async (arg, given) => {
  if (!requireTrust('Scale')) return false;
  const found = await workloadOf(ctx, arg);
  if (!found) return false;
  const { cluster, pod, workload } = found;
  if (workload.kind !== 'Deployment') {
    void vscode.window.showWarningMessage(
      `${workload.name} is a StatefulSet: scale its chart's values instead.`,
    );
    return false;
  }
  const current = await cluster.context.views.replicasOf(pod.namespace, workload.name);
  const options = given as { replicas?: number; confirmed?: boolean } | undefined;
  const text =
    options?.replicas !== undefined
      ? String(options.replicas)
      : await vscode.window.showInputBox({
          prompt: `Replicas of Deployment ${pod.namespace}/${workload.name} (now ${current})`,
          value: String(current),
          validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'A number of replicas (0 or more)'),
        });
  if (text === undefined) return false;
  const replicas = Number(text.trim());
  if (replicas < current && options?.confirmed !== true) {
    const scale = 'Scale Down';
    const answer = await vscode.window.showWarningMessage(
      `Scale Deployment ${pod.namespace}/${workload.name} from ${current} to ${replicas}? ${current - replicas} pod(s) will be deleted.`,
      { modal: true },
      scale,
    );
    if (answer !== scale) return false;
  }
  const done = await runWithProgress(
    ctx,
    `Scaling ${workload.name} to ${replicas}`,
    async (signal, report) => {
      await cluster.context.withLock(`scale ${workload.name}`, () =>
        cluster.context.views.scale(pod.namespace, workload.name, replicas, signal),
      );
      return cluster.context.views.rollout('Deployment', pod.namespace, workload.name, {
        signal,
        onProgress: report,
      });
    },
  );
  return done?.done === true;
};
