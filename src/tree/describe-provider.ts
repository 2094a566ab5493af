// Read-only documents of a live pod or node: Describe in kubectl's human format (src/kube/describe), its
// YAML ("Show YAML"), or a pod's events; each re-rendered when the object or its events change.
import * as vscode from 'vscode';
import type { ApiEvent, ClusterViews, LiveCluster, LiveList, PodWatch } from '../clusters';
import { eventTable } from './core';

export const DESCRIBE_SCHEME = 'gateway-cluster-describe';

export type DescribeMode = 'describe' | 'yaml' | 'events';

interface Target {
  session: LiveCluster;
  views: ClusterViews;
  kind: 'pod' | 'node';
  mode: DescribeMode;
  namespace: string;
  name: string;
  nodeName: string;
  disposables: Array<{ dispose(): void }>;
  /** The events list (mode 'events'). */
  events?: LiveList<unknown>;
}

const EXTENSIONS: Record<DescribeMode, string> = { describe: 'describe', yaml: 'yaml', events: 'events' };

export class DescribeProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly targets = new Map<string, Target>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseTextDocument((doc) => {
      const target = this.targets.get(doc.uri.toString());
      if (!target) return;
      for (const d of target.disposables) d.dispose();
      this.targets.delete(doc.uri.toString());
    });
  }

  /** The URI of a pod's (or node's) document; its content follows the live object. */
  uriFor(
    clusterName: string,
    session: LiveCluster,
    views: ClusterViews,
    kind: 'pod' | 'node',
    nodeName: string,
    name: string,
    namespace = '',
    mode: DescribeMode = 'describe',
  ): vscode.Uri {
    const where = kind === 'pod' ? `${namespace}/${name}` : `nodes/${name}`;
    const uri = vscode.Uri.from({
      scheme: DESCRIBE_SCHEME,
      path: `/${clusterName}/${where}.${EXTENSIONS[mode]}`,
    });
    const key = uri.toString();
    if (this.targets.has(key)) return uri;
    const target: Target = { session, views, kind, mode, namespace, name, nodeName, disposables: [] };
    const fire = () => this.changed.fire(uri);
    if (kind === 'pod') {
      // A watch of the pod's node (server-side field selector) tells when the object changes.
      const watch: PodWatch = session.watchPods(nodeName);
      watch.onDidChange((change) => {
        const id = `${namespace}/${name}`;
        if (!change || change.changed?.includes(id) || change.removed?.includes(id)) fire();
      });
      target.disposables.push(watch);
    } else {
      target.disposables.push(
        session.onDidChangeNodes((names) => (!names || names.includes(name)) && fire()),
      );
    }
    if (mode !== 'yaml') {
      const selector =
        kind === 'pod'
          ? `involvedObject.name=${name},involvedObject.namespace=${namespace}`
          : `involvedObject.kind=Node,involvedObject.name=${name}`;
      const events: LiveList<unknown> = views.events(selector);
      events.onDidChange(fire);
      target.disposables.push(events);
      if (mode === 'events') target.events = events;
    }
    this.targets.set(key, target);
    return uri;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = this.targets.get(uri.toString());
    if (!target) return '# This object is no longer tracked: describe it again from the Clusters view.\n';
    const what = `${target.kind} ${target.namespace ? `${target.namespace}/` : ''}${target.name}`;
    try {
      if (target.mode === 'describe')
        return target.kind === 'pod'
          ? await target.views.describePod(target.namespace, target.name)
          : await target.views.describeNode(target.name);
      if (target.mode === 'events') return eventsText(what, target);
      const { stringify } = await import('yaml');
      const object =
        target.kind === 'pod'
          ? await target.session.readPod(target.namespace, target.name)
          : await target.session.readNode(target.name);
      const clean = { ...object } as { metadata?: Record<string, unknown> };
      if (clean.metadata) clean.metadata = { ...clean.metadata, managedFields: undefined };
      return `# Live ${target.kind} (read-only), refreshed on change\n${stringify(clean)}`;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return `${what}: ${message}\n`;
    }
  }

  dispose(): void {
    for (const target of this.targets.values()) for (const d of target.disposables) d.dispose();
    this.targets.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function eventsText(what: string, target: Target): string {
  const events = target.events?.items();
  if (events === undefined)
    return target.events?.error ? `Events of ${what}: ${target.events.error}\n` : 'Loading…\n';
  return eventTable(what, events as ApiEvent[], Date.now());
}
