// The cluster.yaml of a cluster built by hand and adopted (`gateway-cluster adopt`, "Adopt Existing
// Cluster…"): what was discovered, written as the contract has it, secrets named by key only (their values
// cannot be read back and never go into the file), and what cannot be discovered — the physical hosts, the
// VMs' declared resources, the management profile's name — as commented lines that say so.

export interface AdoptedNode {
  hostname: string;
  address: string;
  worker: boolean;
}

/** What adopt found on the cluster (and what the operator gave it: the SSH settings). */
export interface AdoptedCluster {
  name: string;
  nodes: AdoptedNode[];
  /** MicroK8s reports high availability (3 or more datastore voters). */
  highAvailability: boolean;
  subnet: string;
  floatingIp?: string;
  managerPort?: number;
  metallbRanges: string[];
  /** The gateway releases' chart version(s), as `helm list` names them. */
  chartVersions: string[];
  nfs?: { server: string; path: string };
  /** The Gateway Manager's registration state (ConfigMap gateway-registration-status), if any. */
  registration?: string;
  /** The SSH settings; `passwordSecret` (named by adoptedSecretNames) when adopt logged in with a password. */
  ssh: { user?: string; port?: number; identityFile?: string; passwordSecret?: string };
  /** Lines about what was found that the spec cannot say (shown as comments at the top). */
  notes: string[];
}

/** The names the adopted spec gives its secrets (their values are never in the file). */
export function adoptedSecretNames(name: string): {
  managerPassword: string;
  activationToken: string;
  sshPassword: string;
} {
  return {
    managerPassword: `${name}-manager-password`,
    activationToken: `${name}-activation-token`,
    sshPassword: `${name}-ssh-password`,
  };
}

/** The documented chart repository (seed 002): helm keeps no record of where a chart came from. */
export const DEFAULT_CHART_REPOSITORY = 'oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts';

/** A YAML scalar: plain when it reads back as the same string, else double-quoted (JSON is valid YAML). */
function scalar(value: string): string {
  const plain =
    /^[A-Za-z0-9_./~-][A-Za-z0-9_./:~@+-]*$/.test(value) &&
    // What YAML 1.2's core schema would read as a boolean, null or number (`0.9.6` and addresses are strings).
    !/^(?:true|false|null|~|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|0x[0-9a-f]+|0o[0-7]+|[-+]?\.inf|\.nan)$/i.test(
      value,
    );
  return plain ? value : JSON.stringify(value);
}

export function adoptedSpecText(c: AdoptedCluster, adoptedAt = new Date()): string {
  const planes = c.nodes.filter((n) => !n.worker).length;
  const ha = planes >= 3;
  const lines: string[] = [
    `# Adopted by gateway-cluster adopt from ${c.nodes.find((n) => !n.worker)?.address ?? c.nodes[0]?.address ?? 'the cluster'} on ${adoptedAt.toISOString().slice(0, 10)}.`,
    '# Secrets are named, not written: store their values under these names before an operation needs them.',
    ...c.notes.map((note) => `# Note: ${note}`),
    'apiVersion: gateway-cluster/v1',
    'kind: GatewayCluster',
    'metadata:',
    `  name: ${scalar(c.name)}`,
    '  description: Adopted from a cluster built by hand',
    'spec:',
    `  topology: ${ha ? 'ha' : 'single-node'}`,
  ];
  const ssh = Object.entries(c.ssh).filter(([, v]) => v !== undefined);
  if (ssh.length) {
    lines.push('  ssh:');
    for (const [key, value] of ssh)
      lines.push(`    ${key}: ${typeof value === 'number' ? value : scalar(String(value))}`);
  }
  lines.push('  nodes:');
  for (const node of c.nodes) {
    lines.push(`    - hostname: ${scalar(node.hostname)}`, `      address: ${node.address}`);
    if (node.worker) lines.push('      role: worker');
    lines.push(
      '      # host: (not discoverable: the physical host the VM runs on; give every node one, or none)',
      '      # resources: { cpus: 4, memoryGiB: 8, diskGiB: 40 }  (not discoverable: the VM as declared in the hypervisor)',
    );
  }
  lines.push('  network:', `    subnet: ${c.subnet}`);
  if (c.floatingIp) lines.push(`    floatingIp: ${c.floatingIp}`);
  else
    lines.push(
      '    floatingIp: 0.0.0.0 # not found: the gateway-manager Service has no load-balancer address',
    );
  if (c.metallbRanges.length === 1) lines.push(`    metallbRange: ${c.metallbRanges[0]}`);
  else if (c.metallbRanges.length > 1)
    lines.push(
      `    metallbRange: ${c.metallbRanges.find((r) => c.floatingIp && r.startsWith(`${c.floatingIp}/`)) ?? c.metallbRanges[0]} # metallb hands out ${c.metallbRanges.join(', ')}; the spec takes one range`,
    );
  if (c.nfs)
    lines.push(
      '  storage:',
      '    nfs:',
      `      server: ${scalar(c.nfs.server)}`,
      `      path: ${scalar(c.nfs.path)}`,
    );
  else if (ha)
    lines.push('  # storage: (not found: the storage chart has no nfs.server and nfs.path values)');
  const version = c.chartVersions[0];
  lines.push(
    '  charts:',
    `    repository: ${DEFAULT_CHART_REPOSITORY} # not discoverable: helm keeps no record of where a chart came from; the documented one`,
  );
  if (version)
    lines.push(
      `    version: ${scalar(version)}${c.chartVersions.length > 1 ? ` # the releases differ: ${c.chartVersions.join(', ')}` : ''}`,
    );
  else lines.push('    version: 0.0.0 # not found: no gateway release is installed');
  const secrets = adoptedSecretNames(c.name);
  lines.push(
    '  gatewayManager:',
    `    passwordSecret: ${secrets.managerPassword} # its value cannot be read back from the cluster`,
  );
  if (c.managerPort !== undefined && c.managerPort !== 5480) lines.push(`    port: ${c.managerPort}`);
  lines.push(
    '  registration:',
    '    # managementProfile: (not discoverable: the profile’s name lives in the management platform)',
    `    activationTokenSecret: ${secrets.activationToken}${c.registration ? ` # the Gateway Manager reports ${c.registration}` : ' # not registered yet'}`,
    '',
  );
  return lines.join('\n');
}
