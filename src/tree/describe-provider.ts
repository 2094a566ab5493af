// Read-only YAML of a live pod or node, refreshed while the document is open.
import * as vscode from 'vscode';
import type { LiveCluster, PodWatch } from '../clusters';

export const DESCRIBE_SCHEME = 'gateway-cluster-describe';

interface Target {
  session: LiveCluster;
  kind: 'pod' | 'node';
  namespace: string;
  name: string;
  nodeName: string;
  watch?: PodWatch;
}

export class DescribeProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly targets = new Map<string, Target>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseTextDocument((doc) => {
      const target = this.targets.get(doc.uri.toString());
      if (target) {
        target.watch?.dispose();
        this.targets.delete(doc.uri.toString());
      }
    });
  }

  /** The URI of a pod's (or node's) document; its content follows the live object. */
  uriFor(
    clusterName: string,
    session: LiveCluster,
    kind: 'pod' | 'node',
    nodeName: string,
    name: string,
    namespace = '',
  ): vscode.Uri {
    const path =
      kind === 'pod' ? `/${clusterName}/${namespace}/${name}.yaml` : `/${clusterName}/nodes/${name}.yaml`;
    const uri = vscode.Uri.from({ scheme: DESCRIBE_SCHEME, path });
    const key = uri.toString();
    if (!this.targets.has(key)) {
      const target: Target = { session, kind, namespace, name, nodeName };
      if (kind === 'pod') {
        // A watch of the pod's node (server-side field selector) tells us when the object changes.
        const watch = session.watchPods(nodeName);
        watch.onDidChange((change) => {
          const id = `${namespace}/${name}`;
          if (!change || change.changed?.includes(id) || change.removed?.includes(id)) this.changed.fire(uri);
        });
        target.watch = watch;
      }
      this.targets.set(key, target);
    }
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = this.targets.get(uri.toString());
    if (!target) return '# This object is no longer tracked: describe it again from the Clusters view.\n';
    const { stringify } = await import('yaml');
    try {
      const object =
        target.kind === 'pod'
          ? await target.session.readPod(target.namespace, target.name)
          : await target.session.readNode(target.name);
      const clean = { ...object } as { metadata?: Record<string, unknown> };
      if (clean.metadata) clean.metadata = { ...clean.metadata, managedFields: undefined };
      return `# Live ${target.kind} (read-only), refreshed on change\n${stringify(clean)}`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return `# ${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name}: ${message}\n`;
    }
  }

  dispose(): void {
    for (const target of this.targets.values()) target.watch?.dispose();
    this.targets.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
