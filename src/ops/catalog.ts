// The operations the product runs, in one place: their names (the CLI's OPERATION, the wizards' kinds, the
// transcripts' operation), titles, what each needs from its caller and the questions it asks first. Data and
// pure functions only: the webview may import it.

export interface OperationInfo {
  /** As menus, panels and the CLI's output title it. */
  readonly title: string;
  /** What the operation does, in one line (CLI help, palette detail). */
  readonly summary: string;
  /** Whether it works on one node the caller names (`--node`, the tree's node menu). */
  readonly node: 'none' | 'required';
  /** Whether it changes nothing (preflight): it may run without the cluster's lock being contended. */
  readonly readOnly: boolean;
  /**
   * The spec's secrets it cannot start without (each when the spec names it): the CLI asks for a missing one
   * on a terminal and otherwise refuses to start. The SSH login password, when the spec names one, is needed
   * by every operation (they all connect); the sudo password is asked only when `sudo -n` is refused.
   */
  readonly secrets?: readonly SpecSecretRole[];
  /**
   * Questions the operation asks before it changes anything (reset, delete, de-register, the drill): each
   * names what stops or goes, and for how long. `{node}` stands for the node the caller names, `{cluster}`
   * for the cluster's name. The CLI's `--yes` answers them; without it and without a terminal it refuses.
   */
  readonly confirmations?: readonly string[];
  /** The load-balanced topology's questions where they differ (its drill stops a gateway, not MicroK8s). */
  readonly loadBalancedConfirmations?: readonly string[];
  /**
   * Boolean options beyond `--node` (`--force` for remove-node: only for a node that is gone for good; the
   * engine then asks for a second confirmation naming the node, or takes `--confirm NAME`).
   */
  readonly flags?: readonly OperationFlag[];
  /** The procedure's next operation after a success (Preflight → Join → Deploy → Register). */
  readonly next?: string;
  /**
   * The topologies it applies to: `microk8s` (ha, single-node), `load-balanced`, or both when absent (the
   * drill: its plan follows the spec's topology). The engine refuses it for another topology.
   */
  readonly topology?: OperationTopology;
}

export type OperationTopology = 'microk8s' | 'load-balanced';

/** A secret an operation uses, by its role (src/ops/secret-inputs.ts maps each to the spec's name). */
export type SpecSecretRole =
  | 'managerPassword'
  | 'activationToken'
  | 'proxyCredentials'
  | 'installKey'
  | 'gatewayPassword'
  | 'agentInstallKey';
export type OperationFlag = 'force';

export const OPERATIONS = {
  preflight: {
    next: 'join',
    title: 'Preflight',
    summary: 'checks every node: SSH, hostname, size, MicroK8s, name resolution, ping, time, sudo',
    node: 'none',
    readOnly: true,
    topology: 'microk8s',
  },
  join: {
    next: 'deploy',
    title: 'Join Nodes',
    summary: 'renames the nodes, adds them to /etc/hosts and joins them into one MicroK8s cluster',
    node: 'none',
    readOnly: false,
    topology: 'microk8s',
  },
  deploy: {
    next: 'register',
    title: 'Deploy Gateway Services',
    summary: 'enables dns and metallb, installs the storage and Gateway Manager charts and waits for them',
    node: 'none',
    readOnly: false,
    secrets: ['managerPassword', 'proxyCredentials'],
    topology: 'microk8s',
  },
  register: {
    title: 'Register Cluster',
    summary: 'registers the cluster with its activation token and waits until it is connected',
    node: 'none',
    readOnly: false,
    secrets: ['activationToken'],
    topology: 'microk8s',
  },
  deregister: {
    title: 'De-register Cluster',
    summary: 'removes the registration and waits until the Gateway Manager reports disconnected',
    node: 'none',
    readOnly: false,
    topology: 'microk8s',
    confirmations: [
      'De-register {cluster}? The management platform stops monitoring through it until it is registered again (Register Cluster, or a classic gateway with the same management profile).',
    ],
  },
  'add-node': {
    title: 'Add Nodes',
    summary:
      "joins the spec's nodes the cluster lacks, one at a time (resize 1 → 3 applies what HA needs); never shrinks",
    node: 'none',
    readOnly: false,
    topology: 'microk8s',
  },
  'remove-node': {
    title: 'Remove Node',
    summary:
      'drains the node (disruption budgets respected), runs microk8s leave on it and remove-node on another',
    node: 'required',
    readOnly: false,
    flags: ['force'],
    topology: 'microk8s',
  },
  'replace-node': {
    title: 'Replace Node',
    summary:
      'swaps a node for a new VM at the same address (firmware upgrade): remove, trust the new host key, join',
    node: 'required',
    readOnly: false,
    topology: 'microk8s',
  },
  drill: {
    title: 'Node-Failure Drill',
    summary:
      'stops MicroK8s on a node (load-balanced: the gateway service), times how fast the cluster (HAProxy) notices and the gateway recovers, then starts it again',
    node: 'required',
    readOnly: false,
    confirmations: [
      "Stop MicroK8s on {node} of {cluster} for the drill? What runs on it stops answering until its gateway pods are Ready on the other nodes — about 6 minutes with Kubernetes' defaults — then the drill starts MicroK8s again.",
    ],
    loadBalancedConfirmations: [
      "Stop the gateway service on {node} of {cluster} for the drill? HAProxy sends its connections to the other gateways; it stays stopped until HAProxy marks it DOWN — a few seconds, the health check's inter × fall — then the drill starts it again.",
    ],
  },
  install: {
    next: 'configure-lb',
    title: 'Install Gateways',
    summary:
      'uploads the gateway package to each gateway, installs it, runs setupGateway.sh with a 0600 response file it then deletes, and checks /healthcheck',
    node: 'none',
    readOnly: false,
    topology: 'load-balanced',
    secrets: ['installKey', 'gatewayPassword'],
  },
  'configure-lb': {
    next: 'configure-agents',
    title: 'Configure Load Balancer',
    summary:
      'writes haproxy.cfg from the spec beside the running one, checks it with haproxy -c, installs it and reloads without dropping connections; rolls back unless every gateway is UP',
    node: 'none',
    readOnly: false,
    topology: 'load-balanced',
  },
  'configure-agents': {
    title: 'Configure Agents',
    summary:
      "installs the management agent where it is missing and points it at the load balancer (the agent's response file, as the seed shows)",
    node: 'none',
    readOnly: false,
    topology: 'load-balanced',
    secrets: ['agentInstallKey', 'gatewayPassword'],
  },
  'validate-cluster': {
    title: 'Validate Cluster',
    summary:
      "checks a built cluster: nodes Ready and reachable by hostname, releases at the spec's version, pods Ready, storage bound, the Gateway Manager answering, registration connected",
    node: 'none',
    readOnly: true,
  },
  diagnostics: {
    title: 'Collect Diagnostics',
    summary:
      "runs microk8s inspect on every node, downloads the reports over SFTP, and keeps the cluster's events and the gateway pods' logs",
    node: 'none',
    readOnly: true,
  },
  reset: {
    title: 'Reset Cluster',
    summary:
      'undoes a build to start over: de-registers, uninstalls the releases, disables the add-ons, makes every node but node 1 leave',
    node: 'none',
    readOnly: false,
    confirmations: [
      'Reset {cluster}: de-register it, uninstall its gateway releases, disable dns and metallb, and make every node but the first leave the cluster? The VMs stay, as after spin-up.',
    ],
  },
  delete: {
    title: 'Delete Cluster',
    summary:
      'refused while registered or while other workloads run; resets the cluster and forgets its secrets, kubeconfig and host keys here',
    node: 'none',
    readOnly: false,
    confirmations: [
      'Delete {cluster}: reset it and forget its stored secrets, kubeconfig and host keys on this machine? The VMs stay: delete them in the hypervisor afterwards.',
    ],
  },
} as const satisfies Record<string, OperationInfo>;

export type OperationPlanName = keyof typeof OPERATIONS;

export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationPlanName[];

/** The questions `info` asks before it runs, filled in for the cluster (and node) and the spec's topology. */
export function confirmationQuestions(
  info: OperationInfo,
  answers: { cluster?: string; node?: string; topology?: string },
): string[] {
  const templates =
    answers.topology === 'load-balanced' && info.loadBalancedConfirmations
      ? info.loadBalancedConfirmations
      : (info.confirmations ?? []);
  return templates.map((t) =>
    t.replaceAll('{cluster}', answers.cluster ?? '').replaceAll('{node}', answers.node ?? ''),
  );
}

/** The operation that follows `name` in the procedure, if any. */
export function nextOperation(name: OperationPlanName): OperationPlanName | undefined {
  const next = (OPERATIONS[name] as OperationInfo).next;
  return next !== undefined && isOperationName(next) ? next : undefined;
}

export function isOperationName(name: string): name is OperationPlanName {
  return Object.hasOwn(OPERATIONS, name);
}

/** What a caller gives an operation beyond the spec (a node-level operation's node). */
export interface OperationArgs {
  node?: string;
  /** remove-node: the node is gone for good; remove it from the datastore without `leave`. */
  force?: boolean;
  /**
   * A confirmation given ahead (a CLI without a terminal): the node's name for `--force`, the new host
   * key's SHA256 fingerprint for replace-node. Anything else is asked through the engine's `confirm` port.
   */
  confirm?: string;
  /**
   * register as the migration from a classic gateway runs it (seed 001: the cluster must not be registered
   * yet): true refuses a cluster that is registered already; false when this migration registered it (a
   * re-run). Undefined for a plain register, which has no such step.
   */
  migration?: boolean;
}
