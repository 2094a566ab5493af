// A cluster's state as seed 004's gateway widget names it — Not built, Joining, Joined, Deploying, Running,
// Registered, Degraded (with what is wrong), Failed (with the failed step) — derived from the live cluster
// (nodes, the gateway releases, the registration) and the last runs (what is running now, what failed last).
// The status bar shows the worst of the workspace's clusters.
import type { HealthSummary } from './health';
import type { MergedNode } from './merge-nodes';
import { isNotReady } from './merge-nodes';
import type { ConnectionState } from './types';

export type ClusterStateKind =
  | 'unknown'
  | 'notBuilt'
  | 'joining'
  | 'joined'
  | 'deploying'
  | 'running'
  | 'registered'
  | 'degraded'
  | 'failed';

export interface ClusterState {
  kind: ClusterStateKind;
  /** As the tree shows it: "Registered", "Degraded: gw-2 NotReady", "Failed: Deploy — Install the …". */
  label: string;
  /** The failed run to open (Failed only). */
  failedRun?: { runId: string; operation: string };
  /** Derived from the last runs only (the cluster is not connected). */
  fromRuns?: boolean;
}

/** A run as the runs' index lists it (newest last). */
export interface RunSummary {
  runId: string;
  operation: string;
  /** The operation's title. */
  title: string;
  outcome?: 'succeeded' | 'failed' | 'cancelled';
  failedStep?: string;
  /**
   * Whether a step that changes things ran. A failed run that changed nothing (refused by its survey or check,
   * a confirmation declined) leaves the state as the live cluster says; absent counts as changed.
   */
  changed?: boolean;
}

export interface StateInput {
  connection: ConnectionState;
  health: HealthSummary;
  nodes: readonly MergedNode[];
  /** A cluster-level operation running now from this editor (its operation and title). */
  running?: { operation: string; title: string; step?: string };
  runs: readonly RunSummary[];
  /** The gateway releases' helm statuses by name; undefined while unknown. */
  releases?: ReadonlyMap<string, string>;
  /** The Gateway Manager's registration state; undefined when there is none (or it is unknown). */
  registration?: string;
}

const GATEWAY_RELEASES = ['gateway-persistent-storage', 'gateway-manager'];
/** The runs that build or unbuild the cluster: the last of them failing leaves it Failed. */
const BUILDING = new Set([
  'join',
  'deploy',
  'register',
  'deregister',
  'add-node',
  'remove-node',
  'replace-node',
  'reset',
  'delete',
]);
const JOINING = new Set(['join', 'add-node', 'replace-node']);

/** Worst first: a problem, then the least built. */
const SEVERITY: Record<ClusterStateKind, number> = {
  failed: 8,
  degraded: 7,
  notBuilt: 6,
  joining: 5,
  joined: 4,
  deploying: 3,
  running: 2,
  registered: 1,
  unknown: 0,
};

const LABELS: Record<Exclude<ClusterStateKind, 'degraded' | 'failed'>, string> = {
  unknown: 'not connected',
  notBuilt: 'Not built',
  joining: 'Joining',
  joined: 'Joined',
  deploying: 'Deploying',
  running: 'Running',
  registered: 'Registered',
};

const plain = (
  kind: Exclude<ClusterStateKind, 'degraded' | 'failed'>,
  extra: Partial<ClusterState> = {},
) => ({
  kind,
  label: LABELS[kind],
  ...extra,
});

/** The state a finished run leaves behind when nothing live is known. */
function fromSuccess(operation: string): ClusterStateKind {
  switch (operation) {
    case 'register':
      return 'registered';
    case 'deploy':
    case 'deregister':
      return 'running';
    case 'reset':
    case 'delete':
      return 'notBuilt';
    default:
      return JOINING.has(operation) ? 'joined' : 'unknown';
  }
}

export function deriveClusterState(input: StateInput): ClusterState {
  if (input.running) {
    const kind = JOINING.has(input.running.operation)
      ? 'joining'
      : input.running.operation === 'deploy'
        ? 'deploying'
        : undefined;
    if (kind)
      return plain(kind, { label: `${LABELS[kind]}${input.running.step ? ` (${input.running.step})` : ''}` });
  }
  // Only finished runs: one still running (or whose editor died) has no outcome, and is no success. A failed
  // run that changed nothing (a refused delete) tells nothing about the cluster.
  const last = [...input.runs]
    .reverse()
    .find(
      (r) =>
        BUILDING.has(r.operation) &&
        (r.outcome === 'succeeded' || (r.outcome === 'failed' && r.changed !== false)),
    );
  if (last?.outcome === 'failed')
    return {
      kind: 'failed',
      label: `Failed: ${last.title}${last.failedStep ? ` — ${last.failedStep}` : ''}`,
      failedRun: { runId: last.runId, operation: last.operation },
    };
  if (input.connection === 'disconnected' || input.connection === 'connecting') {
    const kind = last ? fromSuccess(last.operation) : 'unknown';
    return kind === 'unknown' || kind === 'degraded' || kind === 'failed'
      ? plain('unknown')
      : plain(kind, { fromRuns: true });
  }
  // The description says what: "API unreachable" follows the state.
  if (input.connection === 'unreachable') return { kind: 'degraded', label: 'Degraded' };
  if (input.health.health === 'notBuilt' || isResetLeft(input)) return plain('notBuilt');
  const wrong: string[] = [];
  const down = input.nodes.filter(isNotReady).map((n) => n.name);
  if (down.length) wrong.push(`${down.join(', ')} NotReady`);
  const absent = input.nodes.filter((n) => n.spec && (n.status === 'notJoined' || n.status === 'notRenamed'));
  if (absent.length) wrong.push(`${absent.map((n) => n.spec!.hostname).join(', ')} not joined`);
  const differs = input.nodes.filter((n) => n.mismatches.length && n.spec);
  if (differs.length) wrong.push(`${differs.map((n) => n.spec!.hostname).join(', ')} differs from the spec`);
  const releases = input.releases;
  const installed = releases ? GATEWAY_RELEASES.filter((r) => releases.has(r)) : [];
  for (const name of installed)
    if (releases!.get(name) !== 'deployed') wrong.push(`${name} ${releases!.get(name)}`);
  if (installed.length === 1)
    wrong.push(`${GATEWAY_RELEASES.find((r) => !installed.includes(r))} not installed`);
  if (input.registration === 'failed') wrong.push('registration failed');
  if (wrong.length) return { kind: 'degraded', label: `Degraded: ${wrong.join('; ')}` };
  if (!releases || installed.length === 0) return plain('joined');
  return input.registration === 'connected' ? plain('registered') : plain('running');
}

/**
 * What a reset leaves (seed 004: the VMs as after spin-up): one spec node a MicroK8s of its own, no other spec
 * node joined, no gateway release. Not a degraded cluster: nothing was built yet (or everything was undone).
 */
function isResetLeft(input: StateInput): boolean {
  const spec = input.nodes.filter((n) => n.spec);
  const joined = spec.filter((n) => n.status === 'ready' || n.status === 'notReady');
  const extra = input.nodes.some((n) => !n.spec);
  const releases = input.releases;
  return (
    spec.length > 1 &&
    joined.length === 1 &&
    !extra &&
    releases !== undefined &&
    !GATEWAY_RELEASES.some((r) => releases.has(r))
  );
}

/** The worst of several states (none: undefined). */
export function worstState(states: readonly ClusterState[]): ClusterState | undefined {
  return [...states].sort((a, b) => SEVERITY[b.kind] - SEVERITY[a.kind])[0];
}

export function severityOf(state: ClusterState): number {
  return SEVERITY[state.kind];
}
