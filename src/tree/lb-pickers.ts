// The load balancer or server a command works on: the tree element it was invoked on, `{ cluster, server }`
// (tests, links), or a quick pick over the load-balanced clusters of the workspace.
import * as vscode from 'vscode';
import type { ClustersProvider } from './clusters-provider';
import {
  modelOf,
  type ClusterElement,
  type LoadBalancerElement,
  type ServerElement,
  type TreeElement,
} from './elements';

function loadBalanced(provider: ClustersProvider): ClusterElement[] {
  return provider
    .allClusters()
    .filter((c) => modelOf(c).topology === 'load-balanced' && modelOf(c).loadBalancer);
}

export async function pickLoadBalancer(
  provider: ClustersProvider,
  arg: unknown,
): Promise<LoadBalancerElement | undefined> {
  const element = arg as TreeElement | undefined;
  if (element?.kind === 'loadBalancer') return element;
  if (element?.kind === 'backend' || element?.kind === 'frontend') return element.lb;
  if (element?.kind === 'server') return element.backend.lb;
  let cluster = element?.kind === 'cluster' ? element : undefined;
  if (!cluster && typeof arg === 'string')
    cluster = loadBalanced(provider).find((c) => c.key === arg || modelOf(c).name === arg);
  if (!cluster) {
    const all = loadBalanced(provider);
    if (all.length <= 1) cluster = all[0];
    else
      cluster = (
        await vscode.window.showQuickPick(
          all.map((c) => ({
            label: modelOf(c).name,
            description: modelOf(c).loadBalancer?.hostname,
            cluster: c,
          })),
          { placeHolder: 'Load-balanced cluster' },
        )
      )?.cluster;
  }
  if (!cluster) return undefined;
  const [lb] = await provider.getChildren(cluster);
  return lb?.kind === 'loadBalancer' ? lb : undefined;
}

export async function pickServer(
  provider: ClustersProvider,
  arg: unknown,
): Promise<ServerElement | undefined> {
  const element = arg as TreeElement | undefined;
  if (element?.kind === 'server') return element;
  const wanted =
    typeof arg === 'object' && arg && 'cluster' in arg && 'server' in arg
      ? (arg as { cluster: string; server: string })
      : undefined;
  const lb = await pickLoadBalancer(provider, wanted?.cluster ?? arg);
  if (!lb) return undefined;
  const backend = (await provider.getChildren(lb)).find((e) => e.kind === 'backend');
  if (backend?.kind !== 'backend') return undefined;
  const servers = (await provider.getChildren(backend)).filter(
    (e): e is ServerElement => e.kind === 'server',
  );
  if (wanted) return servers.find((s) => s.name === wanted.server);
  const picked = await vscode.window.showQuickPick(
    servers.map((s) => ({
      label: s.name,
      description: String(provider.getTreeItem(s).description ?? ''),
      server: s,
    })),
    { placeHolder: 'Gateway (a server of the load balancer)' },
  );
  return picked?.server;
}
