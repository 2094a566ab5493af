// Every duration the lab's simulated Kubernetes uses, in one place: the defaults are the lab's (short, so
// tests run fast) or, where a client can tell, the real ones; `up` options override some. A later time
// scale (node heartbeats, grace periods) multiplies these.
import type { ControllerConfig } from './config';

export interface Timing {
  /** A bound pod's containers start (Pending → Running). */
  podStartMs: number;
  /** A gracefully deleted pod's containers stop (deletionTimestamp → gone). */
  podStopMs: number;
  /** A node whose MicroK8s or link came back turns Ready. */
  nodeReadyMs: number;
  /** A node whose MicroK8s stopped (or whose link is down) turns NotReady. */
  notReadyMs: number;
  /** After NotReady, that node's non-DaemonSet pods move to other nodes. */
  podMoveMs: number;
  /** A helm release's new pod: Running → Ready. */
  releaseReadyMs: number;
  /** A watch that asked for no timeout ends after a random time in [min, 2×min] (kube-apiserver's --min-request-timeout, 1800 s). */
  minRequestTimeoutMs: number;
  /** How long events are kept (kube-apiserver's --event-ttl, 1 h). */
  eventTtlMs: number;
  /** Watch bookmarks for clients that allow them. */
  bookmarkMs: number;
}

export function timingOf(config: ControllerConfig): Timing {
  return {
    podStartMs: 120,
    podStopMs: 150,
    nodeReadyMs: 150,
    notReadyMs: config.notReadyDelayMs,
    podMoveMs: config.podMoveDelayMs,
    releaseReadyMs: config.releaseReadyDelayMs ?? 1000,
    minRequestTimeoutMs: (config.minRequestTimeoutSeconds ?? 1800) * 1000,
    eventTtlMs: 3_600_000,
    bookmarkMs: 1000,
  };
}

/** The lab's timing (one controller process serves one lab); the model sets it from its config. */
export const timing: Timing = {
  podStartMs: 120,
  podStopMs: 150,
  nodeReadyMs: 150,
  notReadyMs: 500,
  podMoveMs: 2000,
  releaseReadyMs: 1000,
  minRequestTimeoutMs: 1_800_000,
  eventTtlMs: 3_600_000,
  bookmarkMs: 1000,
};
