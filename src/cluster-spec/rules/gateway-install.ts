// GC208-GC209, GC211-GC213 for spec.gateway and spec.agents: the response files' plain values, the packages
// (a plain file name, present on this machine), the agents' hosts and the port they are pointed at.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename } from 'node:path';
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { isLocalPath, isPackageFileName, isResponseWord } from '../grammars';
import { formatIPv4, isAddressOrHostname, parseIPv4 } from '../net';
import { expandIdentityFile } from './files';
import { checkHostName, checkSubnet, specNodeUses } from './hosts';
import { isMicroK8sTopology } from './topology-fields';

type Path = Array<string | number>;
const GATEWAY = ['spec', 'gateway'];
const AGENTS = ['spec', 'agents'];

export function checkGatewayInstall(ctx: RuleContext): void {
  if (isMicroK8sTopology(ctx)) return;
  for (const [key, what] of [
    ['group', 'The gateway group'],
    ['user', 'The gateway user'],
  ] as const) {
    const path = [...GATEWAY, key];
    const text = ctx.string(path);
    if (text !== undefined && !isResponseWord(text)) {
      ctx.fail(
        'GC208',
        path,
        `${what} ${quote(text)} is not a plain value for the response file; use 1-64 letters, digits, ".", "_" or "-".`,
      );
    }
  }
  checkPackage(ctx, [...GATEWAY, 'package']);
  checkPackage(ctx, [...AGENTS, 'package']);
  checkAgents(ctx);
}

function checkPackage(ctx: RuleContext, path: Path): void {
  const file = ctx.string(path);
  if (file === undefined) return;
  const name = basename(file.replace(/\\/g, '/'));
  if (!isLocalPath(file) || !isPackageFileName(name)) {
    ctx.fail(
      'GC209',
      path,
      `Package ${quote(file)} is not a plain package file; its name must be letters, digits, ".", "_", "+" or "-" ending in ".rpm", in a path without control characters or any of $ \` ; & | < > ' " * ?.`,
    );
    return;
  }
  if (ctx.options.offline) return;
  const expanded = expandIdentityFile(file, ctx.options.homeDir ?? homedir(), ctx.options.fileName);
  let found: boolean;
  try {
    found = (ctx.options.fileExists ?? existsSync)(expanded);
  } catch {
    found = false;
  }
  if (!found) {
    ctx.report(
      'GC213',
      path,
      'value',
      `Package ${quote(file)} does not exist on this machine (looked for ${quote(expanded)}); download it (Observability & Management › Management Agents › Downloads and Keys) or correct the path.`,
    );
  }
}

function checkAgents(ctx: RuleContext): void {
  const hostPath = [...AGENTS, 'gatewayHost'];
  const host = ctx.string(hostPath);
  if (host !== undefined && !isAddressOrHostname(host)) {
    ctx.fail(
      'GC102',
      hostPath,
      `gatewayHost ${quote(host)} is neither a valid IPv4 address nor a hostname; write the load balancer's address or its DNS name.`,
    );
  }
  const portPath = [...AGENTS, 'gatewayPort'];
  const port = ctx.number(portPath);
  const frontendPorts = (ctx.list(['spec', 'loadBalancer', 'frontends']) ?? [])
    .map((_, index) => ctx.number(['spec', 'loadBalancer', 'frontends', index, 'port']))
    .filter((p, i, all): p is number => p !== undefined && all.indexOf(p) === i);
  if (port !== undefined && frontendPorts.length > 0 && !frontendPorts.includes(port)) {
    ctx.report(
      'GC211',
      portPath,
      'value',
      `gatewayPort ${port} is not a port the load balancer listens on (${frontendPorts.join(', ')}); the agents would reach nothing: use one of those.`,
      { fix: { kind: 'replaceValue', value: String(frontendPorts[0]) } },
    );
  }
  checkAgentHosts(ctx);
}

/** GC212: an agent's host is a host of its own (not the load balancer, a gateway or another agent). */
function checkAgentHosts(ctx: RuleContext): void {
  const uses = specNodeUses(ctx);
  const lbHostname = ctx.string(['spec', 'loadBalancer', 'hostname']);
  const lbAddressText = ctx.string(['spec', 'loadBalancer', 'address']);
  const lbAddress = lbAddressText === undefined ? undefined : parseIPv4(lbAddressText);
  const hostnames = new Map<string, number>();
  const addresses = new Map<number, number>();
  (ctx.list([...AGENTS, 'hosts']) ?? []).forEach((_, index) => {
    const path = [...AGENTS, 'hosts', index];
    const what = `agent ${index + 1}`;
    const hostname = checkHostName(ctx, [...path, 'hostname'], `Hostname of ${what}`);
    const address = ctx.ipv4([...path, 'address'], `Address of ${what}`);
    const clash = (field: string, text: string, other: string | undefined): void => {
      if (other === undefined) return;
      ctx.report(
        'GC212',
        [...path, field],
        'value',
        `The ${field} ${quote(text)} of ${what} is also ${other}'s; an agent runs on a host of its own: give it its own ${field}.`,
      );
    };
    if (hostname !== undefined) {
      const node = uses.hostnames.get(hostname);
      const agent = hostnames.get(hostname);
      clash(
        'hostname',
        hostname,
        node !== undefined
          ? `node ${node + 1}`
          : hostname === lbHostname
            ? 'the load balancer'
            : agent !== undefined
              ? `agent ${agent + 1}`
              : undefined,
      );
      if (agent === undefined) hostnames.set(hostname, index);
    }
    if (address === undefined) return;
    const node = uses.addresses.get(address);
    const agent = addresses.get(address);
    const other =
      node !== undefined
        ? `node ${node + 1}`
        : address === lbAddress
          ? 'the load balancer'
          : agent !== undefined
            ? `agent ${agent + 1}`
            : undefined;
    clash('address', formatIPv4(address), other);
    if (agent === undefined) addresses.set(address, index);
    if (other === undefined) checkSubnet(ctx, [...path, 'address'], address, `Address of ${what}`);
  });
}
