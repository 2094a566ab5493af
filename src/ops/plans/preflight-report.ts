// The preflight's report: findings per node and the fixes the wizard can apply.

export type PreflightCheck =
  | 'reachable'
  | 'hostname'
  | 'uniqueHostnames'
  | 'address'
  | 'size'
  | 'microk8s'
  | 'nameResolution'
  | 'reachability'
  | 'timeSync'
  | 'root';

export type Fix =
  | { kind: 'appendHosts'; node: string; lines: string[] }
  | { kind: 'setHostname'; node: string; hostname: string };

export interface PreflightFinding {
  node: string;
  check: PreflightCheck;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** What to do next, in one sentence. */
  hint?: string;
  fix?: Fix;
  /** A later step of the same plan repairs it ("step 2, …"): not a blocker. */
  repairedBy?: string;
  /** The operator must give an input (the sudo password) before steps that need root. */
  needsInput?: 'sudoPassword';
}

export interface PreflightNodeReport {
  node: string;
  address: string;
  reachable: boolean;
  hostname?: string;
  /** Spec hostnames of other nodes that this node resolves to the wrong address or not at all. */
  unresolved: string[];
  sudoWithoutPassword?: boolean;
  durationMs: number;
}

export interface PreflightReport {
  nodes: PreflightNodeReport[];
  findings: PreflightFinding[];
  /** No findings of severity error. */
  ok: boolean;
}
