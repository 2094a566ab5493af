// adopt's discovery: from one node's SSH session and the cluster's Kubernetes API, what a cluster.yaml says —
// the nodes (hostnames, addresses, Ready, workers), high availability, the node's subnet, metallb's range,
// the releases' chart version and the storage chart's NFS values, the Gateway Manager's floating IP and port,
// and the registration's state. Read-only; the Gateway Manager's values (its password) are never asked for.
import { adoptedSecretNames, type AdoptedCluster, type AdoptedNode } from '../cluster-spec/adopted';
import { formatIPv4, parseCidr } from '../cluster-spec/net';
import {
  MANAGER_RELEASE,
  MANAGER_SERVICE,
  NAMESPACE,
  REGISTRATION_STATUS,
  STORAGE_RELEASE,
  cmd,
  isHighlyAvailable,
  parseHelmList,
} from './node-commands';
import type { ClusterApi, NodeCommand, NodeExecResult } from './ports';

/** Adopt stops: why (`message`, one sentence) and what to do instead (`hint`). Nothing was written. */
export class AdoptRefusal extends Error {
  override readonly name = 'AdoptRefusal';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** What to do with a node that runs no gateway cluster: adopt is for one built by hand. */
export const NOT_BUILT_HINT =
  'Adopt takes a gateway cluster built by hand. To build one on these VMs, create a cluster.yaml (Create cluster.yaml, or Gateway Clusters: New Cluster Spec…) and build it (Join Nodes, then Deploy Gateway Services).';

export interface AdoptSources {
  /** The node's SSH address (what adopt was pointed at). */
  address: string;
  exec(command: NodeCommand): Promise<NodeExecResult>;
  api: ClusterApi;
}

type Loose = Record<string, unknown>;

/** `10.0.0.0/24` for the interface that holds `address` in `ip -o -4 addr show`. */
export function subnetOf(ipAddr: string, address: string): string | undefined {
  for (const m of ipAddr.matchAll(/\binet\s+(\d+\.\d+\.\d+\.\d+)\/(\d+)/g)) {
    if (m[1] !== address) continue;
    const cidr = parseCidr(`${m[1]}/${m[2]}`);
    return cidr ? `${formatIPv4(cidr.first)}/${m[2]}` : undefined;
  }
  return undefined;
}

/** A name the contract takes (RFC 1123 label): the hostnames' common stem, or a plain default. */
export function nameFor(hostnames: readonly string[]): string {
  const stem = /^([a-z][a-z0-9]*?)-?\d+$/.exec(hostnames[0] ?? '')?.[1];
  const shared = stem && hostnames.every((h) => h.startsWith(stem)) ? stem : undefined;
  return shared ? `${shared}-cluster` : 'adopted-cluster';
}

/** The chart version of `NAME-VERSION` (helm list's chart column). */
const versionOf = (chart: string, release: string) =>
  chart.startsWith(`${release}-`) ? chart.slice(release.length + 1) : undefined;

export async function discoverCluster(
  sources: AdoptSources,
  options: {
    name?: string;
    ssh: Omit<AdoptedCluster['ssh'], 'passwordSecret'>;
    /** Adopt logged in with a password: the spec names an SSH password secret, or nothing could log in later. */
    sshPassword?: boolean;
  },
): Promise<AdoptedCluster> {
  const { api, exec } = sources;
  const notes: string[] = [];
  const [addresses, status, helm, live, ranges, service, registration] = await Promise.all([
    exec(cmd.ipv4Addresses()),
    exec(cmd.microk8sStatus()),
    exec(cmd.helmList()),
    api.listNodes(),
    api.metallbAddressRanges(),
    api.getRaw(`/api/v1/namespaces/${NAMESPACE}/services/${MANAGER_SERVICE}`).catch(() => undefined),
    api.readConfigMap(NAMESPACE, REGISTRATION_STATUS),
  ]);
  const nodes: AdoptedNode[] = live
    .map((k) => ({
      hostname: k.name,
      address: k.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)) ?? '',
      worker: Boolean(k.worker),
    }))
    // Control-plane nodes first (node 1 bootstraps and runs the cluster-wide commands), each group by name.
    .sort((a, b) => Number(a.worker) - Number(b.worker) || a.hostname.localeCompare(b.hostname));
  const down = live.filter((k) => !k.ready).map((k) => k.name);
  if (down.length)
    notes.push(`${down.join(', ')} ${down.length === 1 ? 'was' : 'were'} NotReady when adopted.`);
  const releases = parseHelmList(helm.stdout);
  // Without the gateway's releases there is nothing to adopt: a spec would be made up (0.0.0, no floating IP).
  if (!releases.some((r) => r.name === STORAGE_RELEASE || r.name === MANAGER_RELEASE))
    throw new AdoptRefusal(
      `${sources.address} runs no gateway cluster: neither ${STORAGE_RELEASE} nor ${MANAGER_RELEASE} is installed (microk8s helm3 list${helm.code === 0 ? '' : ` exited ${helm.code}`}).`,
      NOT_BUILT_HINT,
    );
  const versions = [
    ...new Set(
      [STORAGE_RELEASE, MANAGER_RELEASE].flatMap((name) => {
        const release = releases.find((r) => r.name === name);
        const version = release && versionOf(release.chart, name);
        return version ? [version] : [];
      }),
    ),
  ];
  let nfs: AdoptedCluster['nfs'];
  if (releases.some((r) => r.name === STORAGE_RELEASE)) {
    const values = await exec(cmd.helmValues(STORAGE_RELEASE));
    try {
      const parsed = JSON.parse(values.stdout || 'null') as {
        nfs?: { server?: unknown; path?: unknown };
      } | null;
      const server = parsed?.nfs?.server;
      const path = parsed?.nfs?.path;
      if (typeof server === 'string' && typeof path === 'string') nfs = { server, path };
    } catch {
      notes.push(`the storage chart's values could not be read (${STORAGE_RELEASE}).`);
    }
  }
  const spec = ((service as Loose | undefined)?.spec ?? {}) as Loose;
  const ingress = (
    ((service as Loose | undefined)?.status as Loose | undefined)?.loadBalancer as Loose | undefined
  )?.ingress as Array<{ ip?: string }> | undefined;
  const port = (spec.ports as Array<{ port?: number }> | undefined)?.[0]?.port;
  const subnet = subnetOf(addresses.stdout, sources.address);
  if (!subnet)
    notes.push(`${sources.address} was not found on the node's interfaces; the subnet is a guess.`);
  const name = options.name ?? nameFor(nodes.map((n) => n.hostname));
  return {
    name,
    nodes,
    highAvailability: isHighlyAvailable(status.stdout),
    subnet: subnet ?? `${sources.address.split('.').slice(0, 3).join('.')}.0/24`,
    ...(ingress?.[0]?.ip ? { floatingIp: ingress[0].ip } : {}),
    ...(typeof port === 'number' ? { managerPort: port } : {}),
    metallbRanges: ranges ?? [],
    chartVersions: versions,
    ...(nfs ? { nfs } : {}),
    ...(registration?.data.state ? { registration: registration.data.state } : {}),
    ssh: {
      ...options.ssh,
      ...(options.sshPassword ? { passwordSecret: adoptedSecretNames(name).sshPassword } : {}),
    },
    notes,
  };
}
