// Values from cluster.yaml are checked before any step runs: a model that would put a malformed hostname or
// address into a command is refused, whatever the quoting would have made of it.
// The grammars are the validator's own (one place): this catches a model built past an error.
import { isChartVersion, isExportPath, isOciUrl } from '../../cluster-spec/grammars';
import { isAddressOrHostname, isRfc1123Label, parseCidrOrRange, parseIPv4 } from '../../cluster-spec/net';
import type { ClusterModel } from '../../cluster-spec/types';

const isIpv4 = (value: string): boolean => parseIPv4(value) !== undefined;
const isHostnameLabel = isRfc1123Label;
const isRange = (value: string): boolean => parseCidrOrRange(value) !== undefined;

/** Problems that make the model unusable for operations ('' when none). */
export function modelProblems(model: ClusterModel, operation: string): string[] {
  const problems: string[] = [];
  if (!model.name) problems.push('metadata.name is missing');
  if (model.nodes.length === 0) problems.push('spec.nodes is empty');
  const names = new Set<string>();
  const addresses = new Set<string>();
  for (const node of model.nodes) {
    const where = `spec.nodes[${node.index}]`;
    if (!isHostnameLabel(node.hostname))
      problems.push(`${where}.hostname "${node.hostname}" is not an RFC 1123 label`);
    if (!isIpv4(node.address)) problems.push(`${where}.address "${node.address}" is not an IPv4 address`);
    if (names.has(node.hostname)) problems.push(`${where}.hostname "${node.hostname}" is used twice`);
    if (addresses.has(node.address)) problems.push(`${where}.address "${node.address}" is used twice`);
    names.add(node.hostname);
    addresses.add(node.address);
  }
  if (['deploy', 'register', 'deregister', 'validate-cluster'].includes(operation)) {
    if (!isIpv4(model.network.floatingIp))
      problems.push(`network.floatingIp "${model.network.floatingIp}" is not an IPv4 address`);
  }
  if (operation === 'deploy') {
    if (!isRange(model.network.metallbRange))
      problems.push(`network.metallbRange "${model.network.metallbRange}" is not a CIDR or a-b range`);
    if (!isOciUrl(model.charts.repository))
      problems.push(`charts.repository "${model.charts.repository}" is not an oci:// URL`);
    if (!isChartVersion(model.charts.version))
      problems.push(`charts.version "${model.charts.version}" is not a semantic version`);
    if (!model.gatewayManager.passwordSecret) problems.push('gatewayManager.passwordSecret is missing');
    const nfs = model.storage.nfs;
    if (model.topology === 'ha') {
      if (!nfs) problems.push('storage.nfs is required for an ha cluster');
      else {
        if (!isAddressOrHostname(nfs.server))
          problems.push(`storage.nfs.server "${nfs.server}" is not an address or hostname`);
        if (!nfs.path.startsWith('/') || !isExportPath(nfs.path))
          problems.push(`storage.nfs.path "${nfs.path}" is not an absolute export path`);
      }
    }
  }
  if (operation === 'add-node' || operation === 'join') {
    const planes = model.nodes.filter((n) => n.role !== 'worker');
    if (model.nodes.length && planes.length === 0)
      problems.push('every node is a worker: node 1 must run the control plane');
    else if (model.nodes[0]?.role === 'worker')
      problems.push(
        'spec.nodes[0] is a worker: node 1 bootstraps the datastore and must be a control-plane node',
      );
    if (model.topology === 'ha' && planes.length < 3)
      problems.push(`an ha cluster needs 3 control-plane nodes (the spec has ${planes.length})`);
  }
  if (operation === 'register' && !model.registration?.activationTokenSecret) {
    problems.push('registration.activationTokenSecret is missing');
  }
  return problems;
}

export class InvalidModelError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The spec cannot be used for this operation: ${problems.join('; ')}. Fix cluster.yaml (see the Problems view).`,
    );
    this.name = 'InvalidModelError';
  }
}

export function assertUsable(model: ClusterModel, operation: string): void {
  const problems = modelProblems(model, operation);
  if (problems.length) throw new InvalidModelError(problems);
}
