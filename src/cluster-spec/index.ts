// Public API of the cluster.yaml contract: parser with ranges, model, validation. Never imports vscode.
export type {
  Severity,
  Position,
  Range,
  SpecPath,
  FixHint,
  Finding,
  ClusterModel,
  SpecDocumentInfo,
  ValidateOptions,
  ValidationResult,
  Topology,
  SshSettings,
  NodeModel,
  NodeResources,
  NetworkModel,
  ProxyModel,
  NfsModel,
  ChartsModel,
  GatewayManagerModel,
  RegistrationModel,
} from './types';
export type {
  AgentsModel,
  BackendModel,
  Balance,
  FrontendModel,
  GatewayInstallModel,
  HealthCheckModel,
  LoadBalancerModel,
} from './load-balanced-types';
export { LOAD_BALANCED_DEFAULTS, frontendName } from './load-balanced-types';
export { validateText, isSpecFile, MAX_SPEC_CHARS, type InternalValidateOptions } from './validate';
export { locateDocuments } from './locate';
export type { LocatedDocument } from './locate';
export { schemaForPath, clusterSchema, knownKeys } from './schema';
export { nextFreeAddress, nextFreeHost, nextFreeHostname } from './suggest';
export { EXAMPLE_HA_SPEC, EXAMPLE_SINGLE_NODE_SPEC } from './examples';
export { EXAMPLE_LOAD_BALANCED_SPEC } from './example-load-balanced';
export { adoptedSecretNames, adoptedSpecText, DEFAULT_CHART_REPOSITORY } from './adopted';
export type { AdoptedCluster, AdoptedNode } from './adopted';
export { CODES, type Code } from './codes';
export { DEFAULTS } from './model';
export { hasSpecFileName } from './recognize';
export { MAX_FINDINGS_PER_DOCUMENT } from './finding-cap';
export {
  parseIPv4,
  formatIPv4,
  parseCidr,
  parseCidrOrRange,
  sizeOf,
  contains,
  overlaps,
  isRfc1123Label,
  isHostname,
  isAddressOrHostname,
  type Interval,
  type Cidr,
} from './net';
export {
  parseProxyUrl,
  isProxyProblem,
  isNoProxyEntry,
  withoutCredentials,
  maskCredentials,
  type ProxyUrl,
  type ProxyUrlProblem,
} from './proxy-url';
