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
import type { ClusterModel, SpecPath, ValidateOptions, ValidationResult } from './types';

export function isSpecFile(_fileName: string, _text: string): boolean {
  return false;
}

export function validateText(_text: string, _fileName: string, _options?: ValidateOptions): ValidationResult {
  return { isSpec: false, documents: [], findings: [] };
}

export function schemaForPath(_path: SpecPath): object | undefined {
  return undefined;
}

export const clusterSchema: object = {};

export function nextFreeAddress(_model: ClusterModel): string | undefined {
  return undefined;
}

export function nextFreeHostname(_model: ClusterModel): string | undefined {
  return undefined;
}

export const EXAMPLE_HA_SPEC = '';
export const EXAMPLE_SINGLE_NODE_SPEC = '';
