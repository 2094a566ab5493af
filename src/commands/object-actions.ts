// Commands on the cluster's own objects in the tree: a section's Refresh, Services (port-forward), the
// port-forwards (open, stop), and a node's Describe, YAML and events.
import * as vscode from 'vscode';
import type { ApiService, PortForwardInfo } from '../clusters';
import { requireTrust } from '../editor/trust';
import type { ClusterElement, RowElement, TreeElement } from '../tree/elements';
import type { DescribeMode } from '../tree/describe-provider';
import type { CommandContext, CommandFactory } from './types';
import { connected } from './progress';
import { openObjectDocument } from './pod-pickers';

export const refreshSection: CommandFactory = (ctx) => async (arg) => {
  const element = arg as TreeElement | undefined;
  if (element?.kind !== 'section') return false;
  ctx.tree.provider.sections.reload(element);
  return true;
};

const rowData = <T>(arg: unknown, contextValue: string): { row: RowElement; data: T } | undefined => {
  const element = arg as TreeElement | undefined;
  return element?.kind === 'row' && element.contextValue.startsWith(contextValue)
    ? { row: element, data: element.data as T }
    : undefined;
};

/** Forwards a local port to the service's port through one of its running pods, as kubectl does. */
export async function forwardService(
  cluster: ClusterElement,
  service: { namespace: string; name: string },
  port: number,
  localPort?: number,
): Promise<PortForwardInfo> {
  const views = cluster.context.views;
  const target = await views.serviceTarget(service.namespace, service.name, port);
  if (!target)
    throw new Error(`service ${service.namespace}/${service.name} has no running pod to forward to`);
  return views.forward(
    {
      label: `service ${service.namespace}/${service.name}`,
      namespace: service.namespace,
      pod: target.pod,
      port: target.port,
    },
    localPort,
  );
}

export const portForwardService: CommandFactory = () => async (arg, given) => {
  if (!requireTrust('Port Forward')) return undefined;
  const found = rowData<ApiService>(arg, 'service');
  if (!found) return undefined;
  const cluster = found.row.parent.cluster;
  if (!connected(cluster)) return undefined;
  const service = found.data;
  const options = given as { port?: number; localPort?: number } | undefined;
  let port = options?.port ?? service.ports[0]?.port;
  if (options?.port === undefined && service.ports.length > 1) {
    const picked = await vscode.window.showQuickPick(
      service.ports.map((p) => ({
        label: String(p.port),
        description: `${p.name ?? ''} ${p.protocol}`.trim(),
        port: p.port,
      })),
      { placeHolder: `Port of ${service.name} to forward` },
    );
    port = picked?.port;
  }
  if (port === undefined) return undefined;
  try {
    return await forwardService(cluster, service, port, options?.localPort);
  } catch (error) {
    void vscode.window.showErrorMessage(`Port forward to ${service.name}:${port} failed: ${String(error)}`);
    return undefined;
  }
};

export const stopPortForward: CommandFactory = () => async (arg) => {
  const found = rowData<PortForwardInfo>(arg, 'portForward');
  if (!found) return false;
  await found.row.parent.cluster.context.views.stopForward(found.data.id);
  return true;
};

export const openPortForward: CommandFactory = () => async (arg) => {
  const found = rowData<PortForwardInfo>(arg, 'portForward');
  if (!found) return undefined;
  const { localAddress, localPort, remotePort } = found.data;
  const scheme = remotePort === 443 || remotePort === 5480 || remotePort === 8443 ? 'https' : 'http';
  const uri = vscode.Uri.parse(`${scheme}://${localAddress}:${localPort}/`);
  await vscode.env.openExternal(uri);
  return uri.toString();
};

const nodeDocument =
  (mode: DescribeMode): CommandFactory =>
  (ctx: CommandContext) =>
  async (arg) => {
    const node = await ctx.tree.pickNode(arg);
    if (!node || !connected(node.cluster)) return undefined;
    const apiName = ctx.tree.provider.mergedNode(node)?.api?.name ?? node.name;
    return openObjectDocument(ctx, node.cluster, 'node', apiName, apiName, undefined, mode);
  };

export const describeNode = nodeDocument('describe');
export const showNodeYaml = nodeDocument('yaml');
