// A command gets its cluster, node or pod from the tree element it was invoked on, from a key (tests, the
// status bar), or asks with a quick pick (the command palette).
import * as vscode from 'vscode';
import type { ApiPod } from '../clusters';
import type { ClustersProvider } from './clusters-provider';
import type { ClusterElement, NodeElement, TreeElement } from './elements';
import { liveOf, modelOf } from './elements';

export class TreePickers {
  constructor(readonly provider: ClustersProvider) {}

  async pickCluster(arg: unknown, placeHolder = 'Cluster'): Promise<ClusterElement | undefined> {
    const element = arg as TreeElement | undefined;
    if (element?.kind === 'cluster') return element;
    if (element?.kind === 'node') return element.cluster;
    if (element?.kind === 'message')
      return element.parent.kind === 'cluster' ? element.parent : element.parent.cluster;
    const all = this.provider.allClusters();
    if (typeof arg === 'string') {
      return this.provider.clusterByKey(arg) ?? all.find((c) => modelOf(c).name === arg);
    }
    if (all.length <= 1) return all[0];
    const picked = await vscode.window.showQuickPick(
      all.map((c) => ({
        label: modelOf(c).name,
        description: this.provider.health(c).description,
        detail: vscode.workspace.asRelativePath(vscode.Uri.parse(c.specUri)),
        cluster: c,
      })),
      { placeHolder },
    );
    return picked?.cluster;
  }

  async pickNode(arg: unknown): Promise<NodeElement | undefined> {
    const element = arg as TreeElement | undefined;
    if (element?.kind === 'node') return element;
    let cluster: ClusterElement | undefined;
    let nodeName: string | undefined;
    if (typeof arg === 'object' && arg && 'cluster' in arg && 'node' in arg) {
      const spec = arg as { cluster: string; node: string };
      cluster = await this.pickCluster(spec.cluster);
      nodeName = spec.node;
    } else {
      cluster = await this.pickCluster(undefined, 'Cluster of the node');
    }
    if (!cluster) return undefined;
    const nodes = (await this.provider.getChildren(cluster)).filter(
      (e): e is NodeElement => e.kind === 'node',
    );
    if (nodeName) return nodes.find((n) => n.name === nodeName);
    const picked = await vscode.window.showQuickPick(
      nodes.map((n) => ({
        label: n.name,
        description: String(this.provider.getTreeItem(n).description ?? ''),
        node: n,
      })),
      { placeHolder: 'Node' },
    );
    return picked?.node;
  }

  async pickPod(arg: unknown): Promise<{ cluster: ClusterElement; pod: ApiPod } | undefined> {
    const element = arg as TreeElement | undefined;
    if (element?.kind === 'pod') return { cluster: element.node.cluster, pod: element.pod };
    let cluster: ClusterElement | undefined;
    let wanted: { namespace: string; name: string } | undefined;
    if (typeof arg === 'object' && arg && 'cluster' in arg && 'name' in arg) {
      const spec = arg as { cluster: string; namespace?: string; name: string };
      cluster = await this.pickCluster(spec.cluster);
      wanted = { namespace: spec.namespace ?? 'default', name: spec.name };
    } else {
      cluster = await this.pickCluster(undefined, 'Cluster of the pod');
    }
    if (!cluster) return undefined;
    const live = liveOf(cluster);
    if (live.state === 'disconnected') {
      void vscode.window.showWarningMessage(`Connect to ${modelOf(cluster).name} first.`);
      return undefined;
    }
    const pods = await live.listPods();
    if (wanted) {
      const pod = pods.find((p) => p.namespace === wanted.namespace && p.name === wanted.name);
      return pod ? { cluster, pod } : undefined;
    }
    const picked = await vscode.window.showQuickPick(
      pods.map((p) => ({
        label: p.name,
        description: `${p.namespace} · ${p.nodeName} · ${p.phase}`,
        pod: p,
      })),
      { placeHolder: 'Pod (type to filter by name)', matchOnDescription: true },
    );
    return picked ? { cluster, pod: picked.pod } : undefined;
  }
}
