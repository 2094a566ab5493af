// What the user waits for when expanding a node: from the expand (TreeView.reveal, as a click) to the moment
// the provider hands VS Code the node's pods (not "Loading pods…"); VS Code paints them right after. The
// tree bench reports this beside its own round trip through the snapshot command.
import type { ClustersTree } from '../../../src/tree/clusters-tree';
import type { TreeElement } from '../../../src/tree/elements';

export async function timeExpand(
  tree: ClustersTree,
  target: { cluster: string; node: string; pods: number },
  timeoutMs = 30_000,
): Promise<{ askedMs: number; shownMs: number }> {
  const node = await tree.pickNode({ cluster: target.cluster, node: target.node });
  if (!node) throw new Error(`no node ${target.node}`);
  const provider = tree.provider;
  const original = provider.getChildren.bind(provider);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    // When VS Code first asks for the node's children (the reveal's round trip to the renderer).
    let askedMs: number | undefined;
    const restore = () => (provider.getChildren = original);
    const timer = setTimeout(() => {
      restore();
      reject(new Error(`the pods of ${target.node} were not handed over within ${timeoutMs} ms`));
    }, timeoutMs);
    provider.getChildren = async (element?: TreeElement) => {
      if (element === node) askedMs ??= performance.now() - t0;
      const children = await original(element);
      if (element === node && node.pods.size >= target.pods) {
        clearTimeout(timer);
        restore();
        resolve({ askedMs: askedMs ?? 0, shownMs: performance.now() - t0 });
      }
      return children;
    };
    tree.view
      .reveal(node, { expand: true, select: false, focus: false })
      .then(undefined, (error: unknown) => {
        clearTimeout(timer);
        restore();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
  });
}
