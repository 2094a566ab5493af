// The configuration `up` hands to the lab controller (written to /run/NAME/controller.json).
import type { LabState } from '../api';

export interface ControllerNode {
  index: number;
  netns: string;
  address: string;
  /** Hostname at bring-up (in `fresh` the OVA's). */
  hostname: string;
  specHostname: string;
  dir: string;
}

export interface ControllerConfig {
  name: string;
  prefix: string;
  dir: string;
  socketPath: string;
  nodes: ControllerNode[];
  state: LabState;
  podsPerNode: number;
  /** Multiplies Kubernetes' node lifecycle durations (heartbeats, grace period, tolerations); default 1. */
  timeScale?: number;
  /** A fixed delay before a node whose MicroK8s stopped turns NotReady (instead of the heartbeat model). */
  notReadyDelayMs?: number;
  /** A fixed delay after NotReady before its pods are evicted (instead of each pod's toleration). */
  podMoveDelayMs?: number;
  caCertPath: string;
  serverCertPath: string;
  serverKeyPath: string;
  clientCertPath: string;
  clientKeyPath: string;
  /** Bearer token accepted by the fake API (stored in a 0600 file, never logged). */
  apiTokenPath: string;
  listenHelperPath: string;
  /** Opens a LoadBalancer address's socket inside the announcing node's namespace (fakes/listen-floating.cjs). */
  floatingHelperPath: string;
  /** The lab's bridge on the host (default NAMEbr0). */
  bridge?: string;
  nodeBinary: string;
  chartsVersion: string;
  floatingIp: string;
  /** The hostname every node carries in `fresh` (the OVA's). */
  freshHostname: string;
  /** The nodes' login user (its home and /tmp are where `helm pull --untar` writes). */
  user?: string;
  /** Time between Running and Ready for the pods of a helm release (default 1000 ms). */
  releaseReadyDelayMs?: number;
  /** Time between the fake Gateway Manager's registration states (default 300 ms). */
  registrationStepMs?: number;
  /** Activation tokens the fake Gateway Manager refuses. */
  invalidTokens?: string[];
  /** Tokens starting with this are refused too (default 'invalid-'; '' turns it off). */
  invalidTokenPrefix?: string;
  /** The real kubectl that `microk8s kubectl` runs on the nodes (a copy every node can read). */
  kubectlPath: string;
  /** Journal lines `microk8s inspect` writes for kubelite (the other services a share of it; default 20,000). */
  inspectLogLines?: number;
  /** kube-apiserver's --min-request-timeout: a watch without timeoutSeconds ends after [1, 2) times it (default 1800). */
  minRequestTimeoutSeconds?: number;
}

/** One line of the controller's socket protocol, from a fake CLI on a node. */
export interface ExecRequest {
  type: 'exec';
  tool: 'microk8s' | 'hostnamectl';
  node: number;
  argv: string[];
  uid: number;
  stdinIsTty?: boolean;
}

/** A request from the lab API (index.ts) on the host. */
export interface AdminRequest {
  type: 'admin';
  op: 'ping' | 'snapshot' | 'inject' | 'reset' | 'deletePod' | 'setHostname' | 'linkState' | 'replaceVm';
  args?: Record<string, unknown>;
}
