// The LoadBalancer addresses MetalLB announces, made real: each address a Service got (the Gateway Manager's
// floating IP) is put on one node's interface inside its network namespace — the node MetalLB's L2 speaker
// answers ARP from — and its ports are served there (HTTPS on 5480 with the lab's certificate, whose SANs hold
// the floating IP). The address stays on its node while that node runs; when the node stops (MicroK8s
// stopped, the link down, the VM left the cluster) it moves to the next running node, and every neighbour
// cache in the lab forgets the old MAC, as the new speaker's gratuitous ARP makes a real network do.
// A connection is answered only while the Service has a Ready endpoint on a node whose kubelet runs; otherwise
// it is reset (kube-proxy has nowhere to send it), so "the Gateway Manager answers" follows the drill.
import { spawn } from 'node:child_process';
import type net from 'node:net';
import type { TlsOptions } from 'node:tls';
import type { LabModel } from './model';
import { POD_APP_PORTS, servePodApp } from './pod-apps';
import { isPodReady } from './pods';
import type { Cluster, Json } from './types';
import { metaOf } from './types';

export interface FloatingDeps {
  model: LabModel;
  /** The bridge on the host side (its neighbour cache is flushed on a move). */
  bridge: string;
  netnsOf(index: number): string;
  /** Opens a listening socket on address:port inside a node's namespace. */
  listen(netns: string, address: string, port: number): Promise<net.Server>;
  tls: TlsOptions;
  log(line: string): void;
}

interface Held {
  node: number;
  servers: net.Server[];
}

/** Runs `ip ARGS` (as the controller, root); resolves with its exit code. */
function ip(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('ip', args, { stdio: 'ignore' });
    child.on('error', () => resolve(-1));
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

/** `ip`, `port`s and the selector of every LoadBalancer Service with an address. */
function announced(
  cluster: Cluster,
): Array<{ ip: string; ports: number[]; selector: Record<string, string> }> {
  const out: Array<{ ip: string; ports: number[]; selector: Record<string, string> }> = [];
  for (const service of cluster.objects.services.values()) {
    const spec = (service.spec ?? {}) as Json;
    if (spec.type !== 'LoadBalancer') continue;
    const ingress = ((service.status as Json | undefined)?.loadBalancer as Json | undefined)?.ingress;
    const address = Array.isArray(ingress) ? (ingress[0] as { ip?: string } | undefined)?.ip : undefined;
    if (!address) continue;
    const ports = ((spec.ports ?? []) as Array<{ port?: number }>).flatMap((p) => (p.port ? [p.port] : []));
    out.push({ ip: address, ports, selector: (spec.selector ?? {}) as Record<string, string> });
  }
  return out;
}

export class FloatingIps {
  private readonly held = new Map<string, Held>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly deps: FloatingDeps) {}

  /** Looks again soon (after a burst of changes, once). */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.running
        .then(() => this.reconcile())
        .catch((e: unknown) => this.deps.log(`floating ips: ${String(e)}`));
    }, 30);
  }

  /** Whether a lab node runs a kubelet and a speaker (MicroK8s started, link up). */
  private alive(index: number): boolean {
    try {
      const node = this.deps.model.node(index);
      return node.running && node.linkUp;
    } catch {
      return false;
    }
  }

  /** A Ready pod the Service selects, on a node whose kubelet runs: kube-proxy has somewhere to send it. */
  private answering(cluster: Cluster, selector: Record<string, string>): boolean {
    const keys = Object.entries(selector);
    if (keys.length === 0) return false;
    return [...cluster.pods.values()].some((pod) => {
      const labels = (metaOf(pod.object).labels ?? {}) as Record<string, string>;
      if (!keys.every(([k, v]) => labels[k] === v) || !isPodReady(pod)) return false;
      const node = cluster.k8sNodes.get(pod.nodeName);
      return node?.labIndex !== null && node?.labIndex !== undefined && this.alive(node.labIndex);
    });
  }

  private async reconcile(): Promise<void> {
    const { model } = this.deps;
    const wanted = new Map<
      string,
      { node: number; ports: number[]; cluster: Cluster; selector: Record<string, string> }
    >();
    for (const cluster of model.clusters.values()) {
      if (!cluster.addons.has('metallb')) continue;
      const members = model.nodes
        .filter((n) => n.clusterId === cluster.id && this.alive(n.index))
        .map((n) => n.index);
      for (const entry of announced(cluster)) {
        const current = this.held.get(entry.ip)?.node;
        const node = current !== undefined && members.includes(current) ? current : members[0];
        if (node !== undefined)
          wanted.set(entry.ip, { node, ports: entry.ports, cluster, selector: entry.selector });
      }
    }
    for (const [address, held] of [...this.held]) {
      if (wanted.get(address)?.node === held.node) continue;
      for (const server of held.servers) server.close();
      await ip(['-n', this.deps.netnsOf(held.node), 'addr', 'del', `${address}/32`, 'dev', 'eth0']);
      this.held.delete(address);
      this.deps.log(`floating ${address} leaves node ${held.node}`);
    }
    for (const [address, want] of wanted) {
      if (this.held.has(address)) continue;
      const netns = this.deps.netnsOf(want.node);
      await ip(['-n', netns, 'addr', 'add', `${address}/32`, 'dev', 'eth0']);
      // The new speaker's gratuitous ARP: nobody keeps the old node's MAC for this address.
      await ip(['neigh', 'flush', 'to', address, 'dev', this.deps.bridge]);
      for (const node of model.nodes)
        await ip(['-n', this.deps.netnsOf(node.index), 'neigh', 'flush', 'to', address]);
      const servers: net.Server[] = [];
      for (const port of want.ports.filter((p) => POD_APP_PORTS.includes(p))) {
        try {
          const handle = await this.deps.listen(netns, address, port);
          servers.push(
            this.serve(
              handle,
              port,
              () => this.answering(want.cluster, want.selector),
              model.node(want.node).hostname,
            ),
          );
        } catch (error) {
          this.deps.log(`floating ${address}:${port} on node ${want.node}: ${String(error)}`);
        }
      }
      this.held.set(address, { node: want.node, servers });
      this.deps.log(`floating ${address} on node ${want.node}`);
    }
  }

  /** The pod app behind the port (pod-apps.ts: the Gateway Manager's page on 5480), gated on endpoints. */
  private serve(handle: net.Server, port: number, answering: () => boolean, node: string): net.Server {
    const server = servePodApp(port, handle, node, this.deps.tls, this.deps.log);
    // No Ready endpoint: kube-proxy has nowhere to forward the connection.
    server.on('connection', (socket: net.Socket) => {
      if (!answering()) socket.resetAndDestroy();
    });
    return server;
  }

  /** The node holding each address (snapshot). */
  holders(): Record<string, number> {
    return Object.fromEntries([...this.held].map(([address, held]) => [address, held.node]));
  }

  async dispose(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    for (const held of this.held.values()) for (const server of held.servers) server.close();
    this.held.clear();
  }
}
