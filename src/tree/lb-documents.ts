// Read-only documents of a load balancer: the haproxy.cfg running on its host, the one configure-lb would
// write from the spec (shown side by side in a diff), and its runtime API's `show info` and `show stat`.
// Each is read when opened (and again on "Refresh").
import * as vscode from 'vscode';
import type { LiveLoadBalancer } from '../clusters';
import { formatStats, lbDocumentPath } from './core';

export const LB_SCHEME = 'gateway-cluster-lb';

type Kind = 'running' | 'generated' | 'stats';

export class LoadBalancerDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sources = new Map<string, { live: LiveLoadBalancer; kind: Kind }>();

  /** The document of a cluster's load balancer (`host`, its hostname, names the stats' tab). */
  uriFor(cluster: string, host: string, live: LiveLoadBalancer, kind: Kind): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: LB_SCHEME, path: lbDocumentPath(cluster, host, kind) });
    this.sources.set(uri.toString(), { live, kind });
    return uri;
  }

  /** Reads the document again (it stays open). */
  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = this.sources.get(uri.toString());
    if (!source) return '# Open this again from the Clusters view.\n';
    try {
      switch (source.kind) {
        case 'running':
          return await source.live.runningConfig();
        case 'generated':
          return source.live.generatedConfig();
        case 'stats': {
          const { info, stat } = await source.live.statsText();
          return formatStats(info, stat, new Date());
        }
      }
    } catch (error) {
      return `# ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }

  dispose(): void {
    this.sources.clear();
    this.changed.dispose();
  }
}
