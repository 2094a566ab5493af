// Commands on a cluster of the Clusters view: connect, disconnect, retry, open its spec, its Gateway Manager,
// export its kubeconfig. Each takes the tree element it was invoked on, or asks with a picker.
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writePrivateFile } from '../editor/private-file';
import { requireTrust } from '../editor/trust';
import type { CommandFactory } from './types';
import { connected, messageOf, runWithProgress } from './progress';
import { forwardService } from './object-actions';

export const connectCluster: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Connect')) return false;
  const cluster = await ctx.tree.pickCluster(arg, 'Cluster to connect');
  if (!cluster) return false;
  const ok = await runWithProgress(
    ctx,
    `Connecting to ${cluster.context.model.name}`,
    async (signal) => {
      await ctx.tree.provider.connect(cluster, signal);
      return true;
    },
    'Check that node 1 answers SSH with the spec’s user and key, and that MicroK8s runs (microk8s status).',
  );
  if (ok) void vscode.window.setStatusBarMessage(`Connected to ${cluster.context.model.name}`, 3000);
  return ok === true;
};

export const connectAll: CommandFactory = (ctx) => async () => {
  if (!requireTrust('Connect All')) return 0;
  const clusters = await ctx.tree.provider.allClusters();
  const results = await Promise.all(
    clusters
      // A load-balanced cluster has no Kubernetes API: its load balancer is read when expanded.
      .filter((c) => c.context.live.state === 'disconnected' && c.context.model.topology !== 'load-balanced')
      .map((c) =>
        ctx.tree.provider.connect(c).then(
          () => true,
          (error: unknown) => {
            ctx.log.error(`Connecting to ${c.context.model.name} failed: ${messageOf(error)}`);
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
  const cluster = await ctx.tree.pickCluster(arg, 'Cluster to disconnect');
  if (!cluster) return;
  await ctx.tree.provider.disconnect(cluster);
  ctx.log.info(`Disconnected from ${cluster.context.model.name}`);
};

export const retryCluster: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.tree.pickCluster(arg);
  if (cluster) ctx.tree.provider.retry(cluster);
};

export const openSpec: CommandFactory = (ctx) => async (arg) => {
  const cluster = await ctx.tree.pickCluster(arg, 'Cluster whose spec to open');
  if (!cluster) return;
  const uri = vscode.Uri.parse(cluster.specUri);
  const document = await vscode.workspace.openTextDocument(uri);
  const range = ctx.specs
    .get(uri)
    ?.result.documents.find((d) => d.index === cluster.context.documentIndex)?.range;
  const start = new vscode.Position(range?.start.line ?? 0, range?.start.character ?? 0);
  await vscode.window.showTextDocument(document, {
    selection: new vscode.Range(start, start),
    preview: false,
  });
};

export const openGatewayManager: CommandFactory = (ctx) => async (arg, given) => {
  const cluster = await ctx.tree.pickCluster(arg, 'Cluster whose Gateway Manager to open');
  if (!cluster) return undefined;
  const ip = cluster.context.model.network.floatingIp;
  if (!ip) {
    void vscode.window.showWarningMessage(
      `${cluster.context.model.name} has no network.floatingIp in its spec.`,
    );
    return undefined;
  }
  const port = cluster.context.model.gatewayManager.port || 5480;
  let uri = vscode.Uri.parse(`https://${ip}:${port}`);
  // From outside the gateway's network the floating IP often does not answer: offer a port-forward.
  const probeMs = (given as { probeMs?: number } | undefined)?.probeMs ?? PROBE_MS;
  if (!(await answers(ip, port, probeMs)) && cluster.context.live.state === 'connected') {
    const forward = 'Port-forward and Open';
    const choice =
      (given as { forward?: boolean } | undefined)?.forward === true
        ? forward
        : await vscode.window.showWarningMessage(
            `The Gateway Manager at ${ip}:${port} does not answer from this workstation.`,
            {
              detail:
                'Forward a local port to the gateway-manager Service through the Kubernetes API instead?',
            },
            forward,
            'Open Anyway',
          );
    if (choice === undefined) return undefined;
    if (choice === forward) {
      if (!requireTrust('Port Forward')) return undefined;
      const opened = await runWithProgress(ctx, 'Forwarding to the Gateway Manager', () =>
        forwardService(cluster, { namespace: 'default', name: 'gateway-manager' }, port),
      );
      if (!opened) return undefined;
      uri = vscode.Uri.parse(`https://${opened.localAddress}:${opened.localPort}`);
    }
  }
  await vscode.env.openExternal(uri);
  return uri.toString();
};

const PROBE_MS = 1500;

/** Whether something accepts a TCP connection there within `ms`. */
function answers(host: string, port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export const exportKubeconfig: CommandFactory = (ctx) => async (arg) => {
  if (!requireTrust('Export Kubeconfig')) return undefined;
  const cluster = await ctx.tree.pickCluster(arg, 'Cluster whose kubeconfig to export');
  if (!cluster || !connected(cluster)) return undefined;
  const proceed = 'Choose Location…';
  const answer = await vscode.window.showWarningMessage(
    `The kubeconfig of ${cluster.context.model.name} holds admin credentials for the cluster.`,
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
    // Beside the spec's folder's parent would leak into the repository: the home directory, as kubectl keeps it.
    defaultUri: vscode.Uri.file(path.join(os.homedir(), `${cluster.context.model.name}.kubeconfig`)),
  });
  if (!target) return undefined;
  const text = await cluster.context.live.kubeconfig();
  await writePrivateFile(target.fsPath, text);
  ctx.log.info(`Exported the kubeconfig of ${cluster.context.model.name} to ${target.fsPath}`);
  void vscode.window.showInformationMessage(`Kubeconfig written to ${target.fsPath}.`);
  return target.fsPath;
};

/** The tree's Failed cluster: its failed run's transcript (the cluster's key and the run's id). */
export const openLastFailedRun: CommandFactory = (ctx) => async (key, runId) => {
  const cluster = typeof key === 'string' ? ctx.tree.provider.clusterByKey(key) : undefined;
  const failed = cluster ? ctx.tree.stateOf(cluster).failedRun : undefined;
  const id = typeof runId === 'string' ? runId : failed?.runId;
  if (!cluster || !id) {
    void vscode.window.showInformationMessage('That cluster has no failed run to open.');
    return;
  }
  await ctx.wizards.showTranscript(cluster.context.runsDir, id);
};
