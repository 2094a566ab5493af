// `microk8s enable` / `disable`: the add-ons' progress lines and the model's add-on state.
import type { Cluster } from '../types';
import { positional } from './args';
import type { CommandContext } from './context';

export const ADDONS: Array<[string, string]> = [
  ['cert-manager', 'Cloud native certificate management'],
  ['cis-hardening', 'Apply CIS K8s hardening'],
  ['community', 'The community addons repository'],
  ['dashboard', 'The Kubernetes dashboard'],
  ['dns', 'CoreDNS'],
  ['gpu', 'Alias to nvidia add-on'],
  ['ha-cluster', 'Configure high availability on the current node'],
  ['helm', 'Helm - the package manager for Kubernetes'],
  ['helm3', 'Helm 3 - the package manager for Kubernetes'],
  ['host-access', 'Allow Pods connecting to Host services smoothly'],
  ['hostpath-storage', 'Storage class; allocates storage from host directory'],
  ['ingress', 'Ingress controller for external access'],
  ['kube-ovn', 'An advanced network fabric for Kubernetes'],
  ['mayastor', 'OpenEBS MayaStor'],
  ['metallb', 'Loadbalancer for your Kubernetes cluster'],
  ['metrics-server', 'K8s Metrics Server for API access to service metrics'],
  ['minio', 'MinIO object storage'],
  ['nvidia', 'NVIDIA hardware (GPU and network) support'],
  ['observability', 'A lightweight observability stack for logs, traces and metrics'],
  ['prometheus', 'Prometheus operator for monitoring and logging'],
  ['rbac', 'Role-Based Access Control for authorisation'],
  ['registry', 'Private image registry exposed on localhost:32000'],
  ['rook-ceph', 'Distributed Ceph storage using Rook'],
  ['storage', 'Alias to hostpath-storage add-on, deprecated'],
];

function validRange(range: string): boolean {
  const ip = '(?:\\d{1,3}\\.){3}\\d{1,3}';
  return range
    .split(',')
    .every(
      (part) =>
        new RegExp(`^${ip}/\\d{1,2}$`).test(part.trim()) || new RegExp(`^${ip}-${ip}$`).test(part.trim()),
    );
}

export async function enable(ctx: CommandContext, cluster: Cluster, args: string[]): Promise<number> {
  const { io, model } = ctx;
  const spec = positional(args, [])[0] ?? '';
  const [name = '', ...rest] = spec.replace(/^core\//, '').split(':');
  const argument = rest.join(':');
  if (!ADDONS.some(([n]) => n === name)) {
    io.err(`Addon ${name} was not found in any repository\n`);
    return 1;
  }
  io.err(`Infer repository core for addon ${name}\n`);
  if (cluster.addons.has(name)) {
    io.out(`Addon core/${name} is already enabled\n`);
    return 0;
  }
  if (name === 'dns') {
    io.out(
      'Enabling DNS\nUsing host configuration from /etc/resolv.conf\nApplying manifest\n' +
        'serviceaccount/coredns created\nconfigmap/coredns created\ndeployment.apps/coredns created\nservice/kube-dns created\n' +
        'clusterrole.rbac.authorization.k8s.io/coredns created\nclusterrolebinding.rbac.authorization.k8s.io/coredns created\n' +
        'CoreDNS service deployed with IP address 10.152.183.10\nRestarting kubelet\nDNS is enabled\n',
    );
  } else if (name === 'metallb') {
    let range = argument;
    io.out('Enabling MetalLB\n');
    if (!range) {
      io.out(
        "Enter each IP address range delimited by comma (e.g. '10.64.140.43-10.64.140.49,192.168.0.105-192.168.0.111'): ",
      );
      const line = await ctx.io.readLine();
      if (line === null) {
        io.err(
          'Traceback (most recent call last):\n  File "enable.py", line 1, in <module>\nEOFError: EOF when reading a line\n',
        );
        return 1;
      }
      range = line.trim();
    }
    if (!validRange(range)) {
      io.err(`Your input value (${range}) is not a valid IP Range\n`);
      return 1;
    }
    cluster.metallbRange = range;
    io.out(
      'Applying Metallb manifest\nnamespace/metallb-system created\nsecret/memberlist created\n' +
        'customresourcedefinition.apiextensions.k8s.io/ipaddresspools.metallb.io created\n' +
        'customresourcedefinition.apiextensions.k8s.io/l2advertisements.metallb.io created\n' +
        'serviceaccount/controller created\nserviceaccount/speaker created\ndeployment.apps/controller created\n' +
        'daemonset.apps/speaker created\nWaiting for Metallb controller to be ready.\ndeployment.apps/controller condition met\n' +
        'ipaddresspool.metallb.io/default-addresspool created\nl2advertisement.metallb.io/default-advertise-all-pools created\n' +
        'MetalLB is enabled\n',
    );
  } else {
    io.out(`Enabling ${name}\n${name} is enabled\n`);
  }
  model.enableAddon(cluster, name);
  model.reconcile(cluster);
  return 0;
}

export function disable(ctx: CommandContext, cluster: Cluster, args: string[]): number {
  const { io, model } = ctx;
  const name = (positional(args, [])[0] ?? '').replace(/^core\//, '').split(':')[0] ?? '';
  if (!ADDONS.some(([n]) => n === name)) {
    io.err(`Addon ${name} was not found in any repository\n`);
    return 1;
  }
  io.err(`Infer repository core for addon ${name}\n`);
  if (!cluster.addons.has(name)) {
    io.out(`Addon core/${name} is already disabled\n`);
    return 0;
  }
  const label = name === 'dns' ? 'DNS' : name === 'metallb' ? 'MetalLB' : name;
  io.out(`Disabling ${label}\n${label} is disabled\n`);
  model.disableAddon(cluster, name);
  return 0;
}
