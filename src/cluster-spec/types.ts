// Public types of the cluster.yaml contract (v1). Positions are 0-based, as in the Language Server Protocol.
import type { AgentsModel, GatewayInstallModel, LoadBalancerModel } from './load-balanced-types';
import type { NodeModel, SshSettings } from './node-types';

export type { NodeModel, NodeResources, NodeRole, SshSettings } from './node-types';

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A path into a spec document, e.g. ['spec', 'nodes', 1, 'address']. */
export type SpecPath = ReadonlyArray<string | number>;

export type FixHint =
  | { kind: 'renameKey'; to: string }
  | { kind: 'insertField'; key: string; placeholder: string }
  | { kind: 'replaceValue'; value: string }
  | { kind: 'moveSecret'; secretKey: string; suggestedName: string }
  /**
   * Credentials in a proxy URL (the finding's path): store its `user:password` (percent-decoded) as
   * `suggestedName`, write the URL without them, and add `secretKey: suggestedName` to the proxy mapping.
   */
  | { kind: 'moveProxyCredentials'; secretKey: 'credentialsSecret'; suggestedName: string }
  | { kind: 'insertProxy'; key: 'http' | 'https'; value: string }
  /** Append a node to spec.nodes (after its last item). */
  | { kind: 'appendNode'; hostname: string; address: string; host?: string };

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Path of the node at fault, when there is one. */
  path?: SpecPath;
  /** For duplicates: the earlier occurrence. */
  related?: Array<{ message: string; range: Range }>;
  fix?: FixHint;
}

export type Topology = 'ha' | 'single-node' | 'load-balanced';

export interface ProxyModel {
  /** As written; credentials in it are reported (GC150) and belong in credentialsSecret. */
  http?: string;
  https?: string;
  noProxy: string[];
  /** Secret holding `user:password` for a proxy that asks for credentials (never written in the URL). */
  credentialsSecret?: string;
}

/** seed 004's IP pool: a range or a subnet of static addresses for the cluster's VMs. */
export interface IpPoolModel {
  name?: string;
  start?: string;
  end?: string;
  subnet?: string;
  /** Prefix length handed out with each address (default: network.subnet's). */
  prefix?: number;
  gateway?: string;
  nameservers: string[];
  restrictToCluster: boolean;
}

export interface NetworkModel {
  subnet: string;
  floatingIp: string;
  /** Defaults to floatingIp/32. */
  metallbRange: string;
  dhcpRange?: string;
  gateway?: string;
  nameservers: string[];
  ntpServers: string[];
  proxy?: ProxyModel;
  /** Defaults to 10.1.0.0/16. */
  podCidr: string;
  /** Defaults to 10.152.183.0/24. */
  serviceCidr: string;
  ipPool?: IpPoolModel;
}

export interface NfsModel {
  server: string;
  path: string;
}

export interface ChartsModel {
  /** Defaults to the product's OCI registry. */
  repository: string;
  version: string;
}

export interface GatewayManagerModel {
  passwordSecret: string;
  /** Defaults to 5480. */
  port: number;
}

export interface RegistrationModel {
  managementProfile?: string;
  activationTokenSecret?: string;
}

/**
 * A typed view of one GatewayCluster document with defaults applied. Fields the document lacks (or gives
 * with the wrong type) are left empty ('' or undefined) rather than invented, so a half-written spec still
 * yields a model for the tree and the wizards; the findings say what is wrong.
 */
export interface ClusterModel {
  apiVersion: string;
  name: string;
  description?: string;
  topology: Topology | undefined;
  ssh: SshSettings;
  nodes: NodeModel[];
  network: NetworkModel;
  storage: { nfs?: NfsModel };
  charts: ChartsModel;
  gatewayManager: GatewayManagerModel;
  registration?: RegistrationModel;
  /** Topology `load-balanced` (see load-balanced-types.ts). */
  loadBalancer?: LoadBalancerModel;
  gateway?: GatewayInstallModel;
  agents?: AgentsModel;
}

export interface SpecDocumentInfo {
  /** Index of the YAML document in the file. */
  index: number;
  /** The document's range. */
  range: Range;
  /** Undefined when the document is too broken to build a model from. */
  model: ClusterModel | undefined;
  /** Source range of a path: its key, its value, or the whole key/value pair ('node', the default). */
  rangeOf(path: SpecPath, part?: 'key' | 'value' | 'node'): Range | undefined;
}

export interface ValidateOptions {
  /** Skip checks that touch this machine (GC180). */
  offline?: boolean;
  /** How to test that a file exists; defaults to fs.existsSync. */
  fileExists?: (path: string) => boolean;
  /** Home directory used to expand `~`; defaults to os.homedir(). */
  homeDir?: string;
}

export interface ValidationResult {
  /** Whether the file is a spec under the contract's recognition rule. */
  isSpec: boolean;
  /** One entry per GatewayCluster document (or per document treated as one). */
  documents: SpecDocumentInfo[];
  findings: Finding[];
}
