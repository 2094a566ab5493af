// Each cluster's state for its item and the status bar (core/cluster-state.ts decides it): while a cluster is
// connected, live lists of its helm releases and its registration (the same watches the Releases and
// Registration sections use); always, its last runs from `.gateway-cluster/runs/index.json` (the editor's and
// the CLI's alike), read again when a run of this editor ends and every half minute.
import { runHistory, type LiveList } from '../clusters';
import type { ClusterElement } from './elements';
import type { ClusterState, HealthSummary, MergedNode, RunSummary } from './core';
import { deriveClusterState } from './core';

const RUNS_REREAD_MS = 30_000;

interface Watched {
  releases: LiveList<{ name: string; namespace: string; status: string }>;
  registration: LiveList<{ state: string }>;
}

interface Entry {
  runs: RunSummary[];
  /** A run of this editor was going at the last look: when it ends, the index is read again. */
  wasRunning?: boolean;
  live?: Watched;
  reading?: Promise<void>;
  readAt: number;
}

export class ClusterStates {
  private readonly entries = new Map<ClusterElement, Entry>();

  /** `changed(cluster)` redraws the cluster's item (and so the status bar). */
  constructor(private readonly changed: (cluster: ClusterElement) => void) {}

  private entry(cluster: ClusterElement): Entry {
    let entry = this.entries.get(cluster);
    if (!entry) {
      this.entries.set(cluster, (entry = { runs: [], readAt: 0 }));
      this.readRuns(cluster);
    }
    return entry;
  }

  /** Reads the runs' index again (soon after a run ends, and now and then for the CLI's runs). */
  readRuns(cluster: ClusterElement): void {
    const entry = this.entries.get(cluster);
    if (!entry || entry.reading) return;
    entry.readAt = Date.now();
    entry.reading = runHistory(cluster.context.runsDir, cluster.context.model.name)
      .then((runs) => {
        entry.runs = runs;
      })
      .catch(() => undefined)
      .finally(() => {
        entry.reading = undefined;
        this.changed(cluster);
      });
  }

  /** Starts the release and registration watches on connect, stops them on disconnect. */
  followConnection(cluster: ClusterElement): void {
    const entry = this.entry(cluster);
    const state = cluster.context.live.state;
    if (state === 'connected' && !entry.live) {
      const views = cluster.context.views;
      entry.live = { releases: views.releases(), registration: views.registration() };
      entry.live.releases.onDidChange(() => this.changed(cluster));
      entry.live.registration.onDidChange(() => this.changed(cluster));
    } else if (state === 'disconnected' && entry.live) {
      entry.live.releases.dispose();
      entry.live.registration.dispose();
      entry.live = undefined;
    }
  }

  stateOf(cluster: ClusterElement, health: HealthSummary, nodes: MergedNode[]): ClusterState {
    const entry = this.entry(cluster);
    if (Date.now() - entry.readAt > RUNS_REREAD_MS) this.readRuns(cluster);
    const releases = entry.live?.releases.items();
    const registration = entry.live?.registration.items();
    const running = cluster.context.activity.current();
    if (entry.wasRunning && !running) this.readRuns(cluster);
    entry.wasRunning = Boolean(running);
    return deriveClusterState({
      connection: cluster.context.live.state,
      health,
      nodes,
      ...(running ? { running } : {}),
      runs: entry.runs,
      ...(releases
        ? {
            releases: new Map(
              releases.filter((r) => r.namespace === 'default').map((r) => [r.name, r.status]),
            ),
          }
        : {}),
      ...(registration?.[0] ? { registration: registration[0].state } : {}),
    });
  }

  /** Drops what it keeps for clusters that left the workspace. */
  keepOnly(clusters: readonly ClusterElement[]): void {
    for (const cluster of [...this.entries.keys()]) if (!clusters.includes(cluster)) this.forget(cluster);
  }

  forget(cluster: ClusterElement): void {
    const entry = this.entries.get(cluster);
    entry?.live?.releases.dispose();
    entry?.live?.registration.dispose();
    this.entries.delete(cluster);
  }

  dispose(): void {
    for (const cluster of [...this.entries.keys()]) this.forget(cluster);
  }
}
