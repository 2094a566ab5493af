/**
 * The lab's programmatic API — the contract between the lab (test/lab/) and its users: the integration
 * tests of src/remote and src/kube, the extension-host tests, the demo and the benchmarks.
 * Implemented by test/lab/index.ts (`export const lab: LabApi` plus the types below).
 */

/** MicroK8s labs: fresh, joined, deployed. Load-balanced labs: fresh, installed, configured. */
export type LabState = 'fresh' | 'joined' | 'deployed' | 'installed' | 'configured';

export interface LabOptions {
  /**
   * `microk8s` (default): MicroK8s nodes with the controller's fakes. `load-balanced` (seed 003): gateways
   * (`nodes`), an HAProxy load balancer (Debian's real haproxy) and agents; see test/lab/README.md.
   */
  topology?: 'microk8s' | 'load-balanced';
  /** Number of nodes (default 3, up to 50); the gateways of a load-balanced lab. */
  nodes?: number;
  /** Load-balanced: agent hosts (default 1, up to 9). */
  agents?: number;
  /** Load-balanced: the health checks of the lab's spec (default 500 ms × fall 3, rise 2). */
  checkInterMs?: number;
  checkFall?: number;
  checkRise?: number;
  /** Starting state (default 'joined'). */
  state?: LabState;
  /** First three octets of the lab's /24 (default '10.250.0', env GC_LAB_SUBNET). */
  subnetPrefix?: string;
  /** Pods per node in joined/deployed states beyond the system pods (default: about two dozen in total). */
  podsPerNode?: number;
  /** Make `sudo` ask for the login user's password (default false: NOPASSWD). */
  sudoRequiresPassword?: boolean;
  /**
   * Multiplies Kubernetes' node lifecycle durations (default 1, a real cluster's): the kubelet's 10 s
   * heartbeats, the node monitor's 50 s grace period (then the node is Unknown and tainted unreachable), the
   * pods' 300 s tolerations (then they are evicted), `microk8s leave`'s two 10 s waits. Tests pass e.g. 0.01.
   */
  timeScale?: number;
  /** A fixed delay before a node whose MicroK8s stopped (or whose link went down) turns NotReady, instead of the heartbeat model. */
  notReadyDelayMs?: number;
  /** A fixed delay after NotReady before that node's pods are evicted, instead of each pod's toleration. */
  podMoveDelayMs?: number;
  /** Time a helm release's new pod stays Running but not Ready (default 1000 ms; the `deployed` state starts Ready). */
  releaseReadyDelayMs?: number;
  /** Time between the fake Gateway Manager's registration states pending → connecting → connected (default 300 ms). */
  registrationStepMs?: number;
  /** Activation tokens the fake Gateway Manager refuses with `failed` (besides those with `invalidTokenPrefix`). */
  invalidTokens?: string[];
  /** Tokens starting with this are refused too (default 'invalid-'; '' turns the rule off). */
  invalidTokenPrefix?: string;
  /**
   * kube-apiserver's --min-request-timeout (default 1800 s): a watch that asks for no timeoutSeconds is ended by
   * the server after a random time between this and twice this, and the client must resume it.
   */
  minRequestTimeoutSeconds?: number;
  /**
   * Journal lines `microk8s inspect` puts in its report for kubelite (containerd and k8s-dqlite a quarter, the
   * others a twentieth; default 20,000: a tarball of about 0.9 MB). Benchmarks raise it.
   */
  inspectLogLines?: number;
}

export interface LabNode {
  /** 1-based index; node 1 is nodes[0]. */
  index: number;
  /** Network namespace name, e.g. 'gclab-1'. */
  netns: string;
  /** The node's address on the lab bridge, e.g. '10.250.0.11'. */
  address: string;
  /** Hostname the node currently carries (in `fresh` the wrong, OVA-style one). */
  hostname: string;
  /** Hostname the lab's generated spec expects, e.g. 'gw-1'. */
  specHostname: string;
  /** sshd's port on `address` (22). */
  sshPort: number;
  /** The node's host public key in OpenSSH format ('ssh-ed25519 AAAA...'). */
  hostPublicKey: string;
  /** SHA256 fingerprint as `ssh-keygen -l` prints it: 'SHA256:...'. */
  hostKeyFingerprint: string;
  /** Kubernetes API port (16443) on `address`. */
  apiPort: number;
}

export interface LabInfo {
  subnetPrefix: string;
  /** CIDR of the lab's /24, e.g. '10.250.0.0/24'. */
  subnet: string;
  /** Host side of the bridge, e.g. '10.250.0.1'. */
  hostAddress: string;
  /** The floating IP reserved for the Gateway Manager, e.g. '10.250.0.5'. */
  floatingIp: string;
  nodes: LabNode[];
  /** Login user with key auth (and password auth). */
  user: string;
  /** Private key (OpenSSH format) whose public half is authorised for `user` on every node. */
  clientKeyPath: string;
  /** Password of `user` (password auth path). */
  password: string;
  /** A `known_hosts` file listing every node's host key, for tests that want pre-trusted keys. */
  knownHostsPath: string;
  /** Folder of the lab's files (state, keys, logs), e.g. /run/gateway-cluster-lab. */
  dir: string;
  /** A cluster.yaml text matching this lab (ha for >=3 nodes, single-node for 1). */
  specYaml: string;
  /** Where `specYaml` is also written (next to the lab's other files). */
  specPath: string;
  /** The fake Kubernetes API's credentials (the same the nodes' `microk8s config` prints). */
  kube: {
    /** PEM CA certificate that signed the API server certificate (SANs: every node address). */
    caCertPath: string;
    /** PEM admin client certificate and key (CN=admin, O=system:masters). */
    clientCertPath: string;
    clientKeyPath: string;
    /** A bearer token the API accepts as well. */
    token: string;
  };
  /** Whether `sudo` asks for the password. */
  sudoRequiresPassword: boolean;
  /** Load-balanced labs: `load-balanced` (the other fields below are set). */
  topology?: 'load-balanced';
  /** The load balancer host (index 0, `.10`, hostname lb-1). */
  loadBalancer?: LabNode;
  /** The agents' hosts (index 101…, `.31`…, app-1…). */
  agents?: LabNode[];
  /** The install key the stand-in setups accept, and the gateway user's password (lab.json only). */
  installKey?: string;
  gatewayPassword?: string;
  /** The stand-in packages on this machine (what the spec's `package` fields name). */
  packages?: { gateway: string; agent: string };
}

export type Fault =
  | { kind: 'stopMicrok8s'; node: number } // API answers 503; pods move off after a delay
  | { kind: 'startMicrok8s'; node: number }
  | { kind: 'linkDown'; node: number } // the node's veth goes down
  | { kind: 'linkUp'; node: number }
  | { kind: 'killSshd'; node: number }
  | { kind: 'startSshd'; node: number }
  | { kind: 'hangCommand'; node: number; command: string } // the fake `microk8s COMMAND` sleeps forever
  | { kind: 'clearHang'; node: number }
  | { kind: 'restartApiServer'; node?: number } // drops all connections and watches, comes back
  | { kind: 'changeHostKey'; node: number } // sshd restarts with a new host key
  // The VM is swapped for a new one from the OVA at the same address: new host key, the OVA's hostname,
  // /etc/hosts without peers, a fresh single-node MicroK8s; the old Node object loses its kubelet
  | { kind: 'replaceVm'; node: number }
  | { kind: 'sudoPassword'; node?: number; required: boolean } // sudo asks (or stops asking) for the password
  | { kind: 'invalidToken'; token: string } // the Gateway Manager refuses this activation token from now on
  | { kind: 'stallRegistration'; stalled: boolean } // the Gateway Manager stops (or resumes) answering
  | { kind: 'stopGateway'; node: number } // load-balanced: the gateway service stops (its port closes)
  | { kind: 'startGateway'; node: number }
  // The user's step in the management platform (seed 001): a classic gateway is registered with (or
  // de-registered from) the management profile the activation tokens are for. While it is, the cluster's
  // registration fails ("the profile already has a registered gateway"); registering it while the cluster is
  // connected is refused.
  | { kind: 'classicGateway'; registered: boolean }
  // This machine outside the gateway's network: the floating IP does not answer from here (a /32 unreachable
  // route on the host); the nodes still reach it.
  | { kind: 'floatingIpUnreachable'; unreachable: boolean };

/** Kubernetes objects as the fake API serves them (plain JSON, as the real API server's). */
export interface LabSnapshot {
  nodes: Array<{
    name: string;
    ready: boolean;
    unschedulable: boolean;
    address: string;
    /** When Ready last changed (ms since the epoch; the API's lastTransitionTime shows whole seconds). */
    readySinceMs: number;
    /** Whether a lab VM's kubelet stands behind the Node object (false after leave, a swap, a rename). */
    backed: boolean;
  }>;
  /** The datastore's members by address with their dqlite role (the cluster of the node asked). */
  dqlite: Array<{ address: string; role: 'voter' | 'standby' | 'spare' }>;
  pods: Array<{
    namespace: string;
    name: string;
    nodeName: string;
    phase: string;
    ready: boolean;
    uid: string;
    /** Deleted (deletionTimestamp set) but not gone: e.g. evicted from an unreachable node. */
    terminating: boolean;
    /** When it last turned Ready (ms since the epoch; the API shows whole seconds). */
    readySinceMs?: number;
  }>;
  addons: { dns: boolean; metallb: string | null; helm3: boolean };
  releases: Array<{
    name: string;
    namespace: string;
    chart: string;
    version: string;
    revision: number;
    /** The `--set` pairs of the last install/upgrade (e.g. nfs.server, nfs.path). */
    values: Record<string, string>;
    /** Whether a values file with a password came on stdin (`-f -`); the value itself is never kept. */
    passwordGiven: boolean;
  }>;
  services: Array<{
    namespace: string;
    name: string;
    type: string;
    clusterIP: string;
    /** status.loadBalancer.ingress[0].ip, given by the lab's metallb. */
    loadBalancerIp: string | null;
  }>;
  /** Names and keys only: Secret values never leave the controller. */
  secrets: Array<{ namespace: string; name: string; keys: string[] }>;
  configMaps: Array<{ namespace: string; name: string }>;
  /** data.state (and data.message) of ConfigMap default/gateway-registration-status; null while absent. */
  registration: { state: string; message?: string } | null;
  /** The management platform's side: whether a classic gateway holds the profile. */
  classicGateway: boolean;
  /** Each LoadBalancer address MetalLB announces, and the node (1-based index) it is on. */
  floatingIps: Record<string, number>;
}

/**
 * `createLab(name)` returns the API of one lab instance. The name (default 'gclab', env GC_LAB_NAME) prefixes
 * everything the lab creates — namespaces `NAME-1..N`, bridge `NAMEbr0`, folder `/run/NAME` — so two
 * labs with different names and subnets can run side by side (e.g. a developer's demo and a test run).
 * Implemented in test/lab/index.ts: `export function createLab(name?: string): LabApi`.
 */
export interface LabApi {
  readonly name: string;
  /** Brings the lab up (tearing down a previous one first). Needs root. */
  up(options?: LabOptions): Promise<LabInfo>;
  /** Tears down: kills only processes inside the lab's namespaces, deletes them; keeps the unreachable route. */
  down(): Promise<void>;
  /** Resets the running lab to a state without recreating namespaces or keys (fast, for test isolation). */
  reset(state: LabState): Promise<void>;
  /** The running lab's info, or undefined when none is up. */
  info(): Promise<LabInfo | undefined>;
  snapshot(): Promise<LabSnapshot>;
  inject(fault: Fault): Promise<void>;
  /**
   * Deletes a pod the way `kubectl delete` would (its controller recreates it under a new name). Resolves to
   * the moment the API server committed the change (ms since the epoch, sub-ms precision: the controller's
   * `performance.timeOrigin + performance.now()`), so a watcher's delay can be measured from the change itself.
   */
  deletePod(namespace: string, name: string): Promise<number>;
}
