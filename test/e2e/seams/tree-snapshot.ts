// The Clusters view as text, and its counters, for the extension-host tests and the tree benchmark.
// `expand` first reveals those nodes expanded in the view, as a click would (which starts their pod watches).
import type { ClustersTree } from '../../../src/tree/clusters-tree';
import type { TreeElement } from '../../../src/tree/elements';

export interface SnapshotItem {
  depth: number;
  kind: TreeElement['kind'];
  label: string;
  description: string;
  contextValue: string;
}

export interface SnapshotOptions {
  flush?: boolean;
  expand?: Array<{ cluster: string; node: string }>;
}

async function items(tree: ClustersTree): Promise<SnapshotItem[]> {
  const out: SnapshotItem[] = [];
  const walk = async (element: TreeElement | undefined, depth: number): Promise<void> => {
    for (const child of await tree.provider.getChildren(element)) {
      const item = tree.provider.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      out.push({
        depth,
        kind: child.kind,
        label,
        description: String(item.description ?? ''),
        contextValue: item.contextValue ?? '',
      });
      const expandedNode = child.kind === 'node' && child.podWatch !== undefined;
      if (child.kind === 'cluster' || child.kind === 'namespace' || expandedNode)
        await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return out;
}

export async function treeSnapshot(tree: ClustersTree, options: SnapshotOptions = {}) {
  for (const target of options.expand ?? []) {
    const node = await tree.pickNode(target);
    if (!node) throw new Error(`no node ${target.node} in ${target.cluster}`);
    await tree.view.reveal(node, { expand: true, select: false, focus: false });
  }
  if (options.flush) tree.provider.flush();
  return {
    items: await items(tree),
    stats: { ...tree.provider.stats },
    activePodWatches: tree.provider.activePodWatches,
    badge: tree.view.badge?.value ?? 0,
    statusBar: tree.statusBarText,
    logs: Object.fromEntries([...tree.logFollows].map(([k, v]) => [k, v.lines.slice(-50)])),
  };
}
