// The load-balanced operations refuse a model that would put a malformed value into a command, haproxy.cfg or
// a response file, whatever the encoding would have made of it (validate.ts does the same for MicroK8s), and
// an operation of the other topology. The grammars are the validator's own.
import {
  isCheckPath,
  isHaproxyName,
  isHostPath,
  isLocalPath,
  isPackageFileName,
  isResponseWord,
} from '../../cluster-spec/grammars';
import { isAddressOrHostname, isRfc1123Label, parseIPv4 } from '../../cluster-spec/net';
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import { modelProblems, InvalidModelError } from './validate';

function hostProblems(host: NodeModel, where: string): string[] {
  const problems: string[] = [];
  if (!isRfc1123Label(host.hostname))
    problems.push(`${where}.hostname "${host.hostname}" is not an RFC 1123 label`);
  if (parseIPv4(host.address) === undefined)
    problems.push(`${where}.address "${host.address}" is not an IPv4 address`);
  return problems;
}

const packageName = (file: string): string => file.replace(/\\/g, '/').split('/').pop() ?? '';

export function loadBalancedProblems(model: ClusterModel, operation: string): string[] {
  if (model.topology !== 'load-balanced')
    return [`${operation} is for topology "load-balanced"; this spec's is "${model.topology ?? 'missing'}"`];
  const problems = modelProblems(model, 'preflight');
  const lb = model.loadBalancer;
  const gateway = model.gateway;
  if (!lb) problems.push('spec.loadBalancer is missing');
  if (!gateway) problems.push('spec.gateway is missing');
  if (!lb || !gateway) return problems;
  problems.push(...hostProblems(lb, 'spec.loadBalancer'));
  if (model.nodes.some((n) => n.address === lb.address || n.hostname === lb.hostname))
    problems.push('the load balancer is one of the gateways');
  if (lb.frontends.length === 0) problems.push('spec.loadBalancer.frontends is empty');
  for (const f of lb.frontends) {
    if (!isHaproxyName(f.name)) problems.push(`frontend name "${f.name}" is not an HAProxy name`);
    if (f.bind !== undefined && parseIPv4(f.bind) === undefined)
      problems.push(`frontend bind "${f.bind}" is not an IPv4 address`);
  }
  if (!isHaproxyName(lb.backend.name))
    problems.push(`backend name "${lb.backend.name}" is not an HAProxy name`);
  if (lb.backend.servers.length === 0) problems.push('the backend has no servers');
  for (const server of lb.backend.servers)
    if (!model.nodes.some((n) => n.hostname === server))
      problems.push(`server "${server}" is not a spec gateway`);
  const check = lb.healthCheck;
  if (!isCheckPath(check.path)) problems.push(`healthCheck.path "${check.path}" is not a plain URL path`);
  for (const [what, path] of [
    ['healthCheck.caFile', check.caFile],
    ['statsSocket', lb.statsSocket],
    ['configPath', lb.configPath],
  ] as const)
    if (path !== undefined && !isHostPath(path))
      problems.push(`${what} "${path}" is not a plain absolute path`);
  if (check.type === 'https' && check.verify === 'required' && check.caFile === undefined)
    problems.push('healthCheck.caFile is missing (verify: required)');
  if (!isResponseWord(gateway.group)) problems.push(`gateway.group "${gateway.group}" is not a plain value`);
  if (!isResponseWord(gateway.user)) problems.push(`gateway.user "${gateway.user}" is not a plain value`);
  if (!isLocalPath(gateway.package) || !isPackageFileName(packageName(gateway.package)))
    problems.push(`gateway.package "${gateway.package}" is not a plain .rpm path`);
  if (!gateway.installKeySecret) problems.push('gateway.installKeySecret is missing');
  if (!gateway.passwordSecret) problems.push('gateway.passwordSecret is missing');
  const agents = model.agents;
  if (operation === 'configure-agents') {
    if (!agents || agents.hosts.length === 0) problems.push('spec.agents lists no hosts');
    else {
      agents.hosts.forEach((h, i) => problems.push(...hostProblems(h, `spec.agents.hosts[${i}]`)));
      if (!isAddressOrHostname(agents.gatewayHost))
        problems.push(`agents.gatewayHost "${agents.gatewayHost}" is not an address or hostname`);
      if (!lb.frontends.some((f) => f.port === agents.gatewayPort))
        problems.push(`agents.gatewayPort ${agents.gatewayPort} is not a frontend port`);
      if (
        agents.package !== undefined &&
        (!isLocalPath(agents.package) || !isPackageFileName(packageName(agents.package)))
      )
        problems.push(`agents.package "${agents.package}" is not a plain .rpm path`);
      if (!agents.installKeySecret) problems.push('agents.installKeySecret is missing');
    }
  }
  return problems;
}

export function assertLoadBalanced(model: ClusterModel, operation: string): void {
  const problems = loadBalancedProblems(model, operation);
  if (problems.length) throw new InvalidModelError(problems);
}
