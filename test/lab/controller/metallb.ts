// The lab's MetalLB: gives every Service of type LoadBalancer an address from the enabled range (and takes
// it back when metallb is disabled), and hands out cluster IPs from MicroK8s' service range.
import type { LabModel } from './model';
import { recordEvent, subjectOf } from './events';
import type { Cluster, Json } from './types';
import { metaOf } from './types';

const METALLB_CONTROLLER = { component: 'metallb-controller' };

/** Delay before a new LoadBalancer Service gets its address, as the real controller's reconcile takes. */
const ASSIGN_DELAY_MS = 100;

function ipToInt(ip: string): number | undefined {
  const octets = ip.trim().split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The addresses of a metallb range such as `10.0.0.5/32` or `10.0.0.5-10.0.0.9,10.0.1.0/30` (capped). */
export function rangeAddresses(range: string, cap = 1024): string[] {
  const out: string[] = [];
  for (const part of range.split(',')) {
    const cidr = /^\s*([\d.]+)\/(\d{1,2})\s*$/.exec(part);
    const span = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(part);
    let first: number | undefined;
    let last: number | undefined;
    if (cidr) {
      const base = ipToInt(cidr[1] ?? '');
      const bits = Number(cidr[2]);
      if (base === undefined || bits > 32) continue;
      const size = 2 ** (32 - bits);
      first = base - (base % size);
      last = first + size - 1;
    } else if (span) {
      first = ipToInt(span[1] ?? '');
      last = ipToInt(span[2] ?? '');
    }
    if (first === undefined || last === undefined) continue;
    for (let n = first; n <= last && out.length < cap; n++) out.push(intToIp(n));
  }
  return out;
}

function ingressIp(service: Json): string | undefined {
  const ingress = ((service.status as Json | undefined)?.loadBalancer as Json | undefined)?.ingress;
  return Array.isArray(ingress) ? ((ingress[0] as { ip?: string } | undefined)?.ip ?? undefined) : undefined;
}

function requestedIp(service: Json): string | undefined {
  const meta = (service.metadata ?? {}) as Json;
  const annotations = (meta.annotations ?? {}) as Record<string, unknown>;
  const fromAnnotation =
    annotations['metallb.io/loadBalancerIPs'] ?? annotations['metallb.universe.tf/loadBalancerIPs'];
  if (typeof fromAnnotation === 'string' && fromAnnotation) return fromAnnotation.split(',')[0]?.trim();
  const fromSpec = (service.spec as Json | undefined)?.loadBalancerIP;
  return typeof fromSpec === 'string' && fromSpec ? fromSpec : undefined;
}

const isLoadBalancer = (service: Json): boolean => ((service.spec ?? {}) as Json).type === 'LoadBalancer';

/** What each LoadBalancer Service's address should be now (undefined: none). */
function desiredAddresses(cluster: Cluster): Map<Json, string | undefined> {
  const desired = new Map<Json, string | undefined>();
  const services = [...cluster.objects.services.values()].filter(isLoadBalancer);
  const enabled = cluster.addons.has('metallb') && cluster.metallbRange;
  const pool = enabled ? rangeAddresses(cluster.metallbRange ?? '') : [];
  const taken = new Set<string>();
  // Addresses already given (and still in the pool) stay where they are.
  for (const service of services) {
    const current = ingressIp(service);
    if (current && pool.includes(current) && !taken.has(current)) {
      desired.set(service, current);
      taken.add(current);
    }
  }
  for (const service of services) {
    if (desired.has(service)) continue;
    const wanted = requestedIp(service);
    let ip: string | undefined;
    if (wanted !== undefined) ip = pool.includes(wanted) && !taken.has(wanted) ? wanted : undefined;
    else ip = pool.find((candidate) => !taken.has(candidate));
    if (ip) taken.add(ip);
    desired.set(service, ip);
  }
  return desired;
}

/** Brings every LoadBalancer Service's `status.loadBalancer` in line with the range (now or shortly). */
export function reconcileLoadBalancers(model: LabModel, cluster: Cluster, settled: boolean): void {
  const apply = (): void => {
    const enabled = cluster.addons.has('metallb') && Boolean(cluster.metallbRange);
    for (const [service, ip] of desiredAddresses(cluster)) {
      // MetalLB's controller says why a Service has no address (an event the user sees in describe).
      if (enabled && ip === undefined) {
        const meta = metaOf(service);
        recordEvent(
          cluster,
          subjectOf(service, 'Service', 'v1'),
          'Warning',
          'AllocationFailed',
          `Failed to allocate IP for "${String(meta.namespace)}/${String(meta.name)}": no available IPs`,
          METALLB_CONTROLLER,
        );
      }
      if (ingressIp(service) === ip) continue;
      if (ip)
        recordEvent(
          cluster,
          subjectOf(service, 'Service', 'v1'),
          'Normal',
          'IPAllocated',
          `Assigned IP ["${ip}"]`,
          METALLB_CONTROLLER,
        );
      // Status writes replace the stored object: watchers and lists see a new resourceVersion.
      const updated = structuredClone(service);
      updated.status = { loadBalancer: ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {} };
      model.putObject(cluster, 'services', updated);
    }
  };
  if (settled) apply();
  else model.clusterTimer(cluster, ASSIGN_DELAY_MS, apply);
}

/** A free cluster IP from MicroK8s' service range 10.152.183.0/24 (.1 is `kubernetes`, .10 kube-dns). */
export function serviceIp(cluster: Cluster): string {
  const used = new Set<string>();
  for (const service of cluster.objects.services.values()) {
    const ip = ((service.spec ?? {}) as Json).clusterIP;
    if (typeof ip === 'string') used.add(ip);
  }
  for (let n = 2; n < 255; n++) {
    const ip = `10.152.183.${n}`;
    if (n !== 10 && !used.has(ip)) return ip;
  }
  return 'None';
}

/** A free node port (30000-32767). */
export function nodePort(cluster: Cluster): number {
  const used = new Set<number>();
  for (const service of cluster.objects.services.values()) {
    for (const port of (((service.spec ?? {}) as Json).ports as Array<{ nodePort?: number }> | undefined) ??
      [])
      if (typeof port.nodePort === 'number') used.add(port.nodePort);
  }
  for (let port = 30000 + Math.floor(Math.random() * 2000); port <= 32767; port++)
    if (!used.has(port)) return port;
  for (let port = 30000; port <= 32767; port++) if (!used.has(port)) return port;
  return 0;
}
