// What runs on a cluster's nodes right now, from the runs' own events: the node a node-level operation works
// on, the operation, the step it is at; and each node's last drill timeline. The tree shows it on the node.
import {
  DRILL_TIMELINE,
  OPERATIONS,
  formatDuration,
  isOperationName,
  sinceStop,
  type DrillTimeline,
  type RunEvent,
} from '../ops';

export interface NodeActivity {
  runId: string;
  node: string;
  operation: string;
  /** The operation's title (the catalog's). */
  title: string;
  /** The step running now (its title), and its position. */
  step?: string;
  stepIndex?: number;
  stepCount: number;
  startedAt: number;
}

/** A cluster-level operation running from this process (join, deploy…): the tree's cluster state says so. */
export interface ClusterRun {
  runId: string;
  operation: string;
  title: string;
  step?: string;
}

export class ClusterActivity {
  private readonly running = new Map<string, NodeActivity>();
  private readonly clusterRuns = new Map<string, ClusterRun>();
  private readonly titles = new Map<string, Map<string, string>>();
  private readonly drills = new Map<string, DrillTimeline>();
  private readonly listeners = new Set<() => void>();

  /** The operation running on `node`, if any. */
  of(node: string): NodeActivity | undefined {
    return [...this.running.values()].find((a) => a.node === node);
  }

  /** The cluster-level operation running now, if any. */
  current(): ClusterRun | undefined {
    return [...this.clusterRuns.values()].at(-1);
  }

  /** The node's last (or current) drill timeline. */
  lastDrill(node: string): DrillTimeline | undefined {
    return this.drills.get(node);
  }

  /** One line on the node's last drill: `Last drill: NotReady after 52.1 s, recovered after 5 min 46 s`. */
  drillSummary(node: string): string | undefined {
    const drill = this.drills.get(node);
    if (!drill) return undefined;
    const detect = sinceStop(drill, 'notReady');
    const back = sinceStop(drill, 'recovered');
    const parts = [
      detect === undefined ? 'not detected yet' : `NotReady after ${formatDuration(detect)}`,
      back === undefined ? undefined : `recovered after ${formatDuration(back)}`,
      drill.outcome,
    ];
    return `Last drill: ${parts.filter(Boolean).join(', ')}`;
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  observe(event: RunEvent): void {
    switch (event.type) {
      case 'runStarted': {
        this.titles.set(event.runId, new Map(event.steps.map((s) => [s.id, s.title])));
        if (!event.node) {
          this.clusterRuns.set(event.runId, {
            runId: event.runId,
            operation: event.operation,
            title: isOperationName(event.operation) ? OPERATIONS[event.operation].title : event.operation,
          });
          return this.changed();
        }
        this.running.set(event.runId, {
          runId: event.runId,
          node: event.node,
          operation: event.operation,
          title: isOperationName(event.operation) ? OPERATIONS[event.operation].title : event.operation,
          stepCount: event.steps.length,
          startedAt: event.at,
        });
        return this.changed();
      }
      case 'stepStarted': {
        const run = this.clusterRuns.get(event.runId);
        if (run && !event.node) {
          run.step = this.titles.get(event.runId)?.get(event.step) ?? event.step;
          return this.changed();
        }
        const current = this.running.get(event.runId);
        const titles = this.titles.get(event.runId);
        if (!current || !titles || event.node) return;
        current.step = titles.get(event.step) ?? event.step;
        current.stepIndex = [...titles.keys()].indexOf(event.step);
        return this.changed();
      }
      case 'report': {
        const current = this.running.get(event.runId);
        if (!current || event.key !== DRILL_TIMELINE) return;
        this.drills.set(current.node, event.value as DrillTimeline);
        return this.changed();
      }
      case 'runFinished':
        this.titles.delete(event.runId);
        // A finished run changes the cluster's state (its last runs) whatever it ran on.
        this.running.delete(event.runId);
        this.clusterRuns.delete(event.runId);
        this.changed();
        return;
      default:
        return;
    }
  }
}
