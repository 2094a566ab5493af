// The node-failure drill's timeline: what happened when (ms since the epoch, as the engine saw it through the
// API), and what in Kubernetes governs each delay, with how an operator can shorten it. Plain data and pure
// functions: the wizard, the tree and the transcript show the same thing.

export type DrillEntryKind =
  'stop' | 'notReady' | 'evicted' | 'replaced' | 'recovered' | 'waiting' | 'start' | 'ready' | 'statefulBack';

export interface DrillEntry {
  kind: DrillEntryKind;
  /** ms since the epoch. */
  at: number;
  label: string;
}

export interface DrillTimeline {
  node: string;
  startedAt: number;
  entries: DrillEntry[];
  /** Gateway pods (ReplicaSet-owned) that ran on the node when it stopped. */
  moved: string[];
  /** StatefulSet pods that ran on it: they wait for the node. */
  stateful: string[];
  /** What governs the delays and how to shorten them (set when the drill ends). */
  explanation?: string[];
  outcome?: 'recovered' | 'partial' | 'cancelled' | 'failed';
}

/** The report's key in a run's shared data, its events and its transcript. */
export const DRILL_TIMELINE = 'drill.timeline';

export function newTimeline(node: string, at: number): DrillTimeline {
  return { node, startedAt: at, entries: [], moved: [], stateful: [] };
}

export function entry(timeline: DrillTimeline, kind: DrillEntryKind): DrillEntry | undefined {
  return timeline.entries.find((e) => e.kind === kind);
}

/** `1 min 46 s`, `52.1 s`, `850 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}

/** Time of `kind` after `from` (default: the stop), or undefined when either did not happen. */
export function sinceStop(timeline: DrillTimeline, kind: DrillEntryKind, from: DrillEntryKind = 'stop') {
  const a = entry(timeline, from);
  const b = entry(timeline, kind);
  return a && b ? b.at - a.at : undefined;
}

/** One line per entry: `+52.1 s  gw-2 NotReady (…)`. */
export function timelineLines(timeline: DrillTimeline): string[] {
  const stop = entry(timeline, 'stop')?.at ?? timeline.startedAt;
  return timeline.entries.map((e) => `+${formatDuration(Math.max(0, e.at - stop)).padEnd(11)} ${e.label}`);
}

/** What governs each delay the drill measured, and how an operator shortens it. */
export function explainDrill(timeline: DrillTimeline): string[] {
  const lines: string[] = [];
  const detect = sinceStop(timeline, 'notReady');
  if (detect !== undefined)
    lines.push(
      `Detection took ${formatDuration(detect)}: a node turns NotReady (Unknown) when its kubelet's heartbeat, renewed every 10 s, is older than the node monitor grace period — 50 s since Kubernetes 1.32 (40 s before) — which the node controller checks every 5 s. It can be shortened with kube-controller-manager's --node-monitor-grace-period (MicroK8s: /var/snap/microk8s/current/args/kube-controller-manager on every control-plane node, then restart MicroK8s); too short a value turns nodes NotReady on a network hiccup.`,
    );
  const evict = sinceStop(timeline, 'evicted', 'notReady');
  if (evict !== undefined)
    lines.push(
      `The pods were evicted ${formatDuration(evict)} after NotReady: every pod tolerates the node.kubernetes.io/unreachable taint for 300 s (the DefaultTolerationSeconds admission plugin) unless it says otherwise. Shorten it per workload with a toleration (key node.kubernetes.io/unreachable, operator Exists, effect NoExecute, tolerationSeconds: 30) in the charts' values, or for the whole cluster with kube-apiserver's --default-unreachable-toleration-seconds.`,
    );
  const recovered = sinceStop(timeline, 'recovered');
  if (recovered !== undefined && timeline.moved.length)
    lines.push(
      `The Gateway Manager answered again ${formatDuration(recovered)} after the stop, when the last replacement pod turned Ready on the other nodes (${timeline.moved.length} pod${timeline.moved.length === 1 ? '' : 's'} moved): about 5 min 40 s – 5 min 55 s with Kubernetes' defaults.`,
    );
  if (!timeline.moved.length)
    lines.push(`No Deployment pod of the gateway charts ran on ${timeline.node}: nothing had to move.`);
  if (timeline.stateful.length)
    lines.push(
      `${timeline.stateful.join(', ')} (StatefulSet) stayed on ${timeline.node}, Terminating: a StatefulSet never runs two pods of one name, so it waits until the node returns or its Node object is deleted — or until the node gets the taint node.kubernetes.io/out-of-service=nodeshutdown:NoExecute, which lets Kubernetes delete its pods at once. For a node that is gone for good: remove-node --force.`,
    );
  return lines;
}
