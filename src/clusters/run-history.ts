// A cluster's runs as `.gateway-cluster/runs/index.json` lists them (the editor's and the CLI's alike), oldest
// first, each with its operation's title: what the tree's cluster state reads its last runs from.
import { OPERATIONS, isOperationName, readIndex } from '../ops';

export interface RunHistoryEntry {
  runId: string;
  operation: string;
  title: string;
  startedAt: number;
  outcome?: 'succeeded' | 'failed' | 'cancelled';
  /** The failed step's title (and node). */
  failedStep?: string;
  /** Whether a step that changes things ran; an entry older than the field counts as changed. */
  changed: boolean;
}

export async function runHistory(runsDir: string, cluster: string): Promise<RunHistoryEntry[]> {
  return (await readIndex(runsDir))
    .filter((e) => e.cluster === cluster)
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((e) => ({
      runId: e.runId,
      operation: e.operation,
      title: isOperationName(e.operation) ? OPERATIONS[e.operation].title : e.operation,
      startedAt: e.startedAt,
      ...(e.outcome ? { outcome: e.outcome } : {}),
      ...(e.failedStep ? { failedStep: e.failedStep } : {}),
      changed: e.changed !== false,
    }));
}
