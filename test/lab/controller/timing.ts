// Every duration the lab's simulated Kubernetes uses, in one place. The node lifecycle uses Kubernetes' own
// defaults (kubelet heartbeats every 10 s, the node monitor's 50 s grace period of Kubernetes 1.32 checked
// every 5 s, the 300 s tolerations DefaultTolerationSeconds adds, `microk8s leave`'s waits), multiplied by
// the lab's time scale (1 by default, so a drill in the demo takes as long as on real VMs; tests pass e.g.
// 0.01). The lab's own shortcuts (a pod starts in 120 ms) are not scaled; `up` options override some.
import type { ControllerConfig } from './config';

export interface Timing {
  /** What the Kubernetes durations below are multiplied by (1: real time). */
  timeScale: number;
  /** A bound pod's containers start (Pending → Running). */
  podStartMs: number;
  /** A gracefully deleted pod's containers stop (deletionTimestamp → gone). */
  podStopMs: number;
  /** A node whose MicroK8s or link came back turns Ready. */
  nodeReadyMs: number;
  /** The kubelet renews its heartbeat (node lease) this often (10 s). */
  heartbeatMs: number;
  /** The node lifecycle controller looks at the heartbeats this often (--node-monitor-period, 5 s). */
  nodeMonitorPeriodMs: number;
  /** A node without heartbeats for this long turns Unknown (--node-monitor-grace-period: 50 s in 1.32). */
  nodeMonitorGraceMs: number;
  /** Fixed delay to NotReady instead of the heartbeat model (the `notReadyDelayMs` option), if given. */
  fixedNotReadyMs?: number;
  /** Fixed delay from NotReady to eviction instead of each pod's toleration (`podMoveDelayMs`), if given. */
  fixedEvictionMs?: number;
  /** What DefaultTolerationSeconds adds to every pod for the not-ready and unreachable taints (300 s). */
  defaultTolerationSeconds: number;
  /** One of `microk8s leave`'s two 10 s sleeps (after stopping dqlite, and before applying the CNI). */
  leaveSleepMs: number;
  /** A helm release's new pod: Running → Ready. */
  releaseReadyMs: number;
  /** A watch that asked for no timeout ends after a random time in [min, 2×min] (kube-apiserver's --min-request-timeout, 1800 s). */
  minRequestTimeoutMs: number;
  /** How long events are kept (kube-apiserver's --event-ttl, 1 h). */
  eventTtlMs: number;
  /** Watch bookmarks for clients that allow them. */
  bookmarkMs: number;
}

/** Kubernetes' defaults at time scale 1. */
export const KUBERNETES_DEFAULTS = {
  heartbeatMs: 10_000,
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGraceMs: 50_000,
  defaultTolerationSeconds: 300,
  leaveSleepMs: 10_000,
} as const;

export function timingOf(config: Partial<ControllerConfig>): Timing {
  const scale = config.timeScale && config.timeScale > 0 ? config.timeScale : 1;
  return {
    timeScale: scale,
    podStartMs: 120,
    podStopMs: 150,
    nodeReadyMs: 150,
    heartbeatMs: KUBERNETES_DEFAULTS.heartbeatMs * scale,
    nodeMonitorPeriodMs: KUBERNETES_DEFAULTS.nodeMonitorPeriodMs * scale,
    nodeMonitorGraceMs: KUBERNETES_DEFAULTS.nodeMonitorGraceMs * scale,
    fixedNotReadyMs: config.notReadyDelayMs,
    fixedEvictionMs: config.podMoveDelayMs,
    defaultTolerationSeconds: KUBERNETES_DEFAULTS.defaultTolerationSeconds,
    leaveSleepMs: KUBERNETES_DEFAULTS.leaveSleepMs * scale,
    releaseReadyMs: config.releaseReadyDelayMs ?? 1000,
    minRequestTimeoutMs: (config.minRequestTimeoutSeconds ?? 1800) * 1000,
    eventTtlMs: 3_600_000,
    bookmarkMs: 1000,
  };
}

/** The lab's timing (one controller process serves one lab); the model sets it from its config. */
export const timing: Timing = timingOf({});
