// `kubectl describe node` as kubectl 1.33 prints it (describeNode and describeNodeResource), from the node's
// JSON, its non-terminated pods, its lease (or why there is none) and its events.
import { printAnnotations, printEvents, printLabels, printTaints } from './common';
import type { Loose } from './format';
import { formatQuantity, parseQuantity, rfc1123z, since } from './format';
import type { Quantity } from './format';
import type { DescribeOptions } from './pod';
import { PrefixWriter } from './tabwriter';

export interface NodeDescribeInput {
  node: Loose;
  /** Pods on the node that are neither Succeeded nor Failed. */
  pods: Loose[];
  /** The node's Lease in kube-node-lease, or the error reading it. */
  lease?: Loose | { error: string };
  /** Events whose involvedObject is the node (by uid or, as the kubelet writes them, by name). */
  events?: Loose[];
}

const RESOURCE_ORDER = ['cpu', 'memory', 'ephemeral-storage', 'storage'];

function sortResources(names: string[]): string[] {
  // SortableResourceNames: plain string order.
  return [...names].sort();
}

export function describeNode(input: NodeDescribeInput, options: DescribeOptions): string {
  const time = (value: unknown) => rfc1123z(value, options.zone);
  const { node } = input;
  const meta = node?.metadata ?? {};
  const spec = node?.spec ?? {};
  const status = node?.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((meta.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length)
      roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  w.write(0, `Roles:\t${roles.size ? [...roles].sort().join(',') : '<none>'}\n`);
  printLabels(w, 'Labels', meta.labels);
  printAnnotations(w, meta.annotations);
  w.write(0, `CreationTimestamp:\t${time(meta.creationTimestamp)}\n`);
  printTaints(w, spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  const lease = input.lease;
  if (lease && 'error' in lease) w.write(0, `Lease:\tFailed to get lease: ${lease.error}\n`);
  else if (lease) {
    w.write(0, 'Lease:\n');
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? time(lease.spec.acquireTime) : '<unset>'}\n`);
    w.write(1, `RenewTime:\t${lease.spec?.renewTime ? time(lease.spec.renewTime) : '<unset>'}\n`);
  }
  const conditions: Loose[] = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of conditions)
      w.write(
        1,
        `${c.type} \t${c.status} \t${time(c.lastHeartbeatTime)} \t${time(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
      );
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [
    ['Capacity', status.capacity],
    ['Allocatable', status.allocatable],
  ] as const) {
    const names = Object.keys(list ?? {});
    if (names.length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const n of sortResources(names)) w.write(0, `  ${n}:\t${formatQuantity(parseQuantity(list[n]))}\n`);
  }
  const info = status.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  w.write(0, `  Machine ID:\t${info.machineID ?? ''}\n`);
  w.write(0, `  System UUID:\t${info.systemUUID ?? ''}\n`);
  w.write(0, `  Boot ID:\t${info.bootID ?? ''}\n`);
  w.write(0, `  Kernel Version:\t${info.kernelVersion ?? ''}\n`);
  w.write(0, `  OS Image:\t${info.osImage ?? ''}\n`);
  w.write(0, `  Operating System:\t${info.operatingSystem ?? ''}\n`);
  w.write(0, `  Architecture:\t${info.architecture ?? ''}\n`);
  w.write(0, `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`);
  w.write(0, `  Kubelet Version:\t${info.kubeletVersion ?? ''}\n`);
  // Deprecated, but kubectl 1.33 still prints it when the kubelet reports it.
  if (info.kubeProxyVersion) w.write(0, `  Kube-Proxy Version:\t${info.kubeProxyVersion}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  podResources(w, input.pods, status.allocatable ?? status.capacity ?? {}, options.now);
  if (input.events) printEvents(w, input.events, options.now);
  return w.toString();
}

type Totals = Record<string, Quantity>;

/** resourcehelper.PodRequests/PodLimits, simplified: the sum over containers, the max with init containers. */
function podTotals(pod: Loose, which: 'requests' | 'limits'): Totals {
  const sum: Totals = {};
  const add = (into: Totals, list: Record<string, unknown> | undefined) => {
    for (const [name, value] of Object.entries(list ?? {})) {
      const q = parseQuantity(value);
      const prev = into[name];
      into[name] = prev ? { value: prev.value + q.value, binary: prev.binary } : q;
    }
  };
  for (const c of pod?.spec?.containers ?? []) add(sum, c.resources?.[which]);
  for (const c of pod?.spec?.initContainers ?? []) {
    for (const [name, value] of Object.entries((c.resources?.[which] ?? {}) as Record<string, unknown>)) {
      const q = parseQuantity(value);
      if (!sum[name] || sum[name].value < q.value) sum[name] = q;
    }
  }
  return sum;
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));

function podResources(
  w: PrefixWriter,
  pods: Loose[],
  allocatable: Record<string, unknown>,
  now: number,
): void {
  const cpuAll = parseQuantity(allocatable.cpu ?? '0').value;
  const memAll = parseQuantity(allocatable.memory ?? '0').value;
  const storageAll = parseQuantity(allocatable['ephemeral-storage'] ?? '0').value;
  const zero: Quantity = { value: 0, binary: false };
  const cell = (q: Quantity | undefined, whole: number) =>
    `${formatQuantity(q ?? zero)} (${percent((q ?? zero).value, whole)}%)`;
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const requests: Totals = {};
  const limits: Totals = {};
  for (const pod of pods) {
    const req = podTotals(pod, 'requests');
    const lim = podTotals(pod, 'limits');
    for (const [into, from] of [
      [requests, req],
      [limits, lim],
    ] as const)
      for (const [name, q] of Object.entries(from)) {
        const prev = into[name];
        into[name] = prev ? { value: prev.value + q.value, binary: prev.binary } : { ...q };
      }
    w.write(
      1,
      `${pod.metadata?.namespace}\t${pod.metadata?.name}\t\t${cell(req.cpu, cpuAll)}\t${cell(lim.cpu, cpuAll)}\t${cell(req.memory, memAll)}\t${cell(lim.memory, memAll)}\t${since(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  w.write(1, `cpu\t${cell(requests.cpu, cpuAll)}\t${cell(limits.cpu, cpuAll)}\n`);
  w.write(1, `memory\t${cell(requests.memory, memAll)}\t${cell(limits.memory, memAll)}\n`);
  w.write(
    1,
    `ephemeral-storage\t${cell(requests['ephemeral-storage'], storageAll)}\t${cell(limits['ephemeral-storage'], storageAll)}\n`,
  );
  const hugePages = Object.keys(allocatable)
    .filter((n) => n.startsWith('hugepages-'))
    .sort();
  for (const n of hugePages) {
    const whole = parseQuantity(allocatable[n]).value;
    w.write(1, `${n}\t${cell(requests[n], whole)}\t${cell(limits[n], whole)}\n`);
  }
  const standard = new Set([...RESOURCE_ORDER, 'pods']);
  const extended = Object.keys(allocatable)
    .filter((n) => !standard.has(n) && !n.startsWith('hugepages-') && n.includes('/'))
    .sort();
  for (const n of extended)
    w.write(1, `${n}\t${formatQuantity(requests[n] ?? zero)}\t${formatQuantity(limits[n] ?? zero)}\n`);
}
