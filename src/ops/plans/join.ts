// Join: preflight, rename, kubeconfig, add-node/join one node at a time, then prove the cluster (HA).
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import {
  cmd,
  isHighlyAvailable,
  parseGetent,
  parseKubeNodeNames,
  pickJoinUrl,
  randomToken,
} from '../node-commands';
import { StepFailure } from '../errors';
import { CHANGED_IN_RUN } from '../runner/run-plan';
import type { KubeNodeInfo, NodeExecResult } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import { kubeconfigStep } from './kubeconfig';
import { hostsPreview, writeHostsEntries } from './fixes';
import { JOIN_REPAIRS, preflightStep } from './preflight';
import { assertUsable } from './validate';

export interface JoinOptions {
  randomBytes: (n: number) => Buffer;
  timeouts: { command: number; long: number; wait: number };
  /** How long the HA check waits for `high-availability: yes` (ms). */
  haWaitMs?: number;
}

const WAIT_READY_SECONDS = 300;

async function hostnameOf(ctx: StepContext, node: NodeModel): Promise<string> {
  return (await ctx.exec(node, cmd.hostname())).stdout.trim();
}

/** Names of the node objects in a node's own view; undefined when kubectl does not answer there. */
async function nodeObjectNames(ctx: StepContext, node: NodeModel): Promise<string[] | undefined> {
  const r = await ctx.exec(node, cmd.kubeNodes(), { okCodes: 'any' });
  return r.code === 0 ? parseKubeNodeNames(r.stdout) : undefined;
}

/** Node objects on a node's own view that carry an old name (not one of the spec's hostnames). */
function staleNames(model: ClusterModel, names: readonly string[] | undefined): string[] {
  const spec = new Set(model.nodes.map((n) => n.hostname));
  return (names ?? []).filter((name) => !spec.has(name));
}

/**
 * Whether MicroK8s still runs under an old name: its own view lacks the spec name (the hostname was set,
 * e.g. by preflight's fix, but MicroK8s was not restarted since, so its kubelet kept the old one).
 */
function registeredUnderOldName(node: NodeModel, names: readonly string[] | undefined): boolean {
  return names !== undefined && !names.includes(node.hostname);
}

/** Every node resolves every node's hostname (its own included) to its spec address: MicroK8s needs it. */
export function hostsStep(model: ClusterModel): Step {
  const entries = model.nodes.map((n) => [n.address, n.hostname] as const);
  const names = model.nodes.map((n) => n.hostname);
  return {
    id: 'hosts',
    title: 'Add the nodes to /etc/hosts',
    nodes: model.nodes,
    parallel: true,
    checkText: "every node's hostname resolves to its spec address",
    proofText: '`getent hosts` gives each hostname its spec address',
    async check(ctx, node) {
      const resolved = parseGetent((await ctx.exec(node!, cmd.resolve(names), { okCodes: 'any' })).stdout);
      return entries.every(([address, name]) => resolved.get(name)?.[0] === address)
        ? 'every name resolves to its spec address'
        : undefined;
    },
    async run(ctx, node) {
      // The preflight before has proven that every node answers over SSH at its spec address.
      const changed = await writeHostsEntries(ctx, node!, entries);
      return changed ? `${names.length} names in /etc/hosts` : 'already in /etc/hosts';
    },
    preview: (p, node) =>
      hostsPreview(
        p,
        node!,
        entries.map(([address, name]) => `${address} ${name}`),
      ),
  };
}

/** Renames `nodes` (default: all) to their spec hostnames, restarting MicroK8s where it needs it. */
export function renameStep(model: ClusterModel, o: JoinOptions, nodes = model.nodes): Step {
  return {
    id: 'rename',
    title:
      nodes.length === 1
        ? `Rename ${nodes[0]!.address} to ${nodes[0]!.hostname}`
        : 'Rename nodes to their spec hostnames',
    nodes,
    parallel: true,
    checkText: 'the hostname equals the spec and no Kubernetes node object carries an old name',
    proofText: '`hostname` prints the spec name and `microk8s status --wait-ready` succeeds',
    async check(ctx, node) {
      const n = node!;
      if ((await hostnameOf(ctx, n)) !== n.hostname) return undefined;
      const names = await nodeObjectNames(ctx, n);
      if (registeredUnderOldName(n, names) || staleNames(model, names).length) return undefined;
      return `already named ${n.hostname}`;
    },
    async run(ctx, node) {
      const n = node!;
      const long = { timeoutMs: o.timeouts.long };
      const renamed = (await hostnameOf(ctx, n)) !== n.hostname;
      if (renamed) await ctx.exec(n, cmd.setHostname(n.hostname), { sudo: true });
      // MicroK8s registers the node under the hostname it started with: restart it after a rename.
      if (renamed || registeredUnderOldName(n, await nodeObjectNames(ctx, n))) {
        await ctx.exec(n, cmd.microk8sStop(), long);
        await ctx.exec(n, cmd.microk8sStart(), long);
      }
      for (const stale of staleNames(model, await nodeObjectNames(ctx, n))) {
        ctx.log(`deleting the node object "${stale}" left from the old hostname`, n);
        await ctx.exec(n, cmd.deleteKubeNode(stale));
      }
      await ctx.exec(n, cmd.waitReady(WAIT_READY_SECONDS), { timeoutMs: (WAIT_READY_SECONDS + 30) * 1000 });
      const now = await hostnameOf(ctx, n);
      if (now !== n.hostname) {
        throw new StepFailure(
          `${n.address} still answers "${now}" after the rename.`,
          `Set it by hand on ${n.hostname} (sudo hostnamectl set-hostname ${n.hostname}), then resume.`,
          { node: n.hostname },
        );
      }
      return `named ${n.hostname}`;
    },
    preview(p, node) {
      const n = node!;
      const when = `when the hostname is not ${n.hostname}`;
      const restart = `${when} or MicroK8s still runs under an old name`;
      return [
        { node: n.hostname, command: p.show(cmd.setHostname(n.hostname)), sudo: true, when },
        { node: n.hostname, command: p.show(cmd.kubeNodes()) },
        { node: n.hostname, command: p.show(cmd.microk8sStop()), when: restart },
        { node: n.hostname, command: p.show(cmd.microk8sStart()), when: restart },
        {
          node: n.hostname,
          command: p.show(cmd.deleteKubeNode('OLD-NAME')),
          when: 'for each node object with an old name',
        },
        { node: n.hostname, command: p.show(cmd.waitReady(WAIT_READY_SECONDS)) },
      ];
    },
  };
}

/** `microk8s join` exit codes (canonical/microk8s scripts/wrappers/join.py) as messages with a next step. */
export function explainJoin(node: NodeModel, node1: NodeModel) {
  return (r: NodeExecResult): { message: string; hint: string } | undefined => {
    switch (r.code) {
      case 1:
        return {
          message: `${node.hostname} could not reach ${node1.hostname} at ${node1.address}:25000.`,
          hint: `Check that ${node.hostname} can reach ${node1.address} on port 25000 (firewall, routes), then resume.`,
        };
      case 4:
        return {
          message: `${node.hostname} could not verify the identity of ${node1.hostname} (certificate check failed).`,
          hint: `The certificate of ${node1.hostname} did not match the join URL: make sure ${node1.address} really is ${node1.hostname}, then resume for a fresh URL (never turn the certificate check off).`,
        };
      case 6:
        return {
          message: `${node1.hostname} refused the join (HTTP error; the token may be invalid or expired).`,
          hint: 'Resume: a fresh single-use token is issued for every attempt.',
        };
      default:
        return undefined;
    }
  };
}

/** Whether node 1's cluster lists `hostname` (asked even after a cancel, with a short timeout of its own). */
async function joinedAnyway(ctx: StepContext, node1: NodeModel, hostname: string): Promise<boolean> {
  try {
    const r = await ctx.exec(node1, cmd.kubeNodes(), { cleanup: true, quiet: true, okCodes: 'any' });
    return r.code === 0 && parseKubeNodeNames(r.stdout).includes(hostname);
  } catch {
    return false;
  }
}

function listed(nodes: KubeNodeInfo[], name: string): KubeNodeInfo | undefined {
  return nodes.find((k) => k.name === name);
}

/** Control-plane nodes in spec order (a worker runs no datastore and issues no join). */
export function controlPlaneNodes(model: ClusterModel): NodeModel[] {
  return model.nodes.filter((n) => n.role !== 'worker');
}

/**
 * Joins `nodes` (default: all but node 1) one at a time, each with a fresh single-use token from `issuer`
 * (default node 1; replace-node of node 1 passes another), workers with `--worker`, and waits until each is
 * Ready.
 */
export function joinStep(
  model: ClusterModel,
  o: JoinOptions,
  nodes = model.nodes.slice(1),
  issuer = model.nodes[0]!,
): Step {
  const node1 = issuer;
  return {
    id: 'join',
    title: nodes.length === 1 ? `Join ${nodes[0]!.hostname} to the cluster` : 'Join nodes to the cluster',
    nodes,
    parallel: false,
    checkText: 'the Kubernetes API lists the node Ready',
    proofText: 'the node turns Ready in the Kubernetes API (watched)',
    async check(ctx, node) {
      const api = await ctx.cluster();
      const k = listed(await api.listNodes(ctx.signal), node!.hostname);
      return k?.ready ? `${node!.hostname} is Ready in the cluster` : undefined;
    },
    async run(ctx, node) {
      const n = node!;
      const api = await ctx.cluster();
      // A node that joined but is not Ready yet is never joined twice: we only wait for it.
      if (!listed(await api.listNodes(ctx.signal), n.hostname)) {
        const token = randomToken(o.randomBytes);
        ctx.addSecret(token);
        // With no time to live the token admits one join: the cluster agent deletes it when it is used.
        const added = await ctx.exec(node1, cmd.addNode(token));
        try {
          const url = pickJoinUrl(added.stdout, node1.address);
          if (!url) {
            throw new StepFailure(
              `"microk8s add-node" on ${node1.hostname} offered no join URL with its spec address ${node1.address}.`,
              `Check that ${node1.hostname} carries ${node1.address} (preflight's address check), then resume.`,
              { node: node1.hostname, output: added.stdout },
            );
          }
          await ctx.exec(n, cmd.join(url, n.role === 'worker'), {
            timeoutMs: o.timeouts.long,
            explain: explainJoin(n, node1),
          });
        } catch (error) {
          // A token that no join used would stay valid for ever: take it back, even after a cancel.
          await ctx
            .exec(node1, cmd.revokeJoinToken(), {
              sudo: true,
              stdin: `${token}\n`,
              stdinLabel: 'the token',
              cleanup: true,
            })
            .catch((revokeError: unknown) =>
              ctx.log(
                `could not revoke the unused join token on ${node1.hostname}: ${String(revokeError)}`,
                node1,
              ),
            );
          // A cancel can land after MicroK8s finished the join: say what is true, not "cancelled".
          if (ctx.signal.aborted && (await joinedAnyway(ctx, node1, n.hostname)))
            return `${n.hostname} joined; the run was cancelled before it was seen Ready`;
          throw error;
        }
      } else {
        ctx.log(`${n.hostname} is already in the cluster; waiting until it is Ready`, n);
      }
      try {
        await ctx.waitFor<KubeNodeInfo[]>(
          `${n.hostname} to be Ready`,
          (onValue, onError) => api.watchNodes(onValue, onError),
          (nodes) => Boolean(listed(nodes, n.hostname)?.ready),
          o.timeouts.wait,
        );
      } catch (error) {
        // The node is in the cluster whatever the cancel says: the panel must not show it as not joined.
        if (ctx.signal.aborted) return `${n.hostname} joined; the run was cancelled before it was seen Ready`;
        throw error;
      }
      return `${n.hostname} joined and Ready`;
    },
    preview(p, node) {
      const token = p.placeholderSecret();
      return [
        { node: node1.hostname, command: p.show(cmd.addNode(token)), when: 'with a fresh single-use token' },
        {
          node: node!.hostname,
          command: p.show(cmd.join(`${node1.address}:25000/${token}/CHECK`, node!.role === 'worker')),
          when: 'with the URL add-node printed for ' + node1.address,
        },
      ];
    },
  };
}

/** Proves the cluster: every spec node Ready and, for ha, high availability reported (on `node1`). */
export function clusterCheckStep(model: ClusterModel, o: JoinOptions, node1 = model.nodes[0]!): Step {
  const ha = model.topology === 'ha';
  return {
    id: 'verify',
    title: ha
      ? 'Check the cluster: every node Ready, high availability'
      : 'Check the cluster: the node is Ready',
    proofText: ha
      ? 'the API lists every spec node Ready and `microk8s status` reports high-availability: yes'
      : 'the API lists the node Ready',
    checkText: 'nothing changed in this run and the proof holds already',
    async check(ctx) {
      if (ctx.shared.get(CHANGED_IN_RUN)) return undefined;
      const api = await ctx.cluster();
      const nodes = await api.listNodes(ctx.signal);
      if (model.nodes.some((n) => !listed(nodes, n.hostname)?.ready)) return undefined;
      if (!ha) return 'the node is Ready';
      const status = await ctx.exec(node1, cmd.microk8sStatus(), { okCodes: 'any' });
      return isHighlyAvailable(status.stdout)
        ? `${model.nodes.length} nodes Ready, high availability`
        : undefined;
    },
    async run(ctx) {
      const api = await ctx.cluster();
      const nodes = await api.listNodes(ctx.signal);
      const notReady = model.nodes.filter((n) => !listed(nodes, n.hostname)?.ready).map((n) => n.hostname);
      if (notReady.length) {
        throw new StepFailure(
          `Not Ready in the cluster: ${notReady.join(', ')}.`,
          `Look at ${notReady[0]} in the Clusters view (its conditions and events), then resume.`,
        );
      }
      if (!ha) return 'the node is Ready';
      const deadline = performance.now() + (o.haWaitMs ?? 60_000);
      let status: NodeExecResult;
      // HA is reported once the third datastore voter is up, which can lag the Ready condition a little.
      while (true) {
        status = await ctx.exec(node1, cmd.microk8sStatus(), { okCodes: 'any' });
        if (isHighlyAvailable(status.stdout) || performance.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        if (ctx.signal.aborted) return;
      }
      if (!isHighlyAvailable(status.stdout)) {
        throw new StepFailure(
          `${node1.hostname} does not report high availability.`,
          `High availability needs 3 or more control-plane nodes (the spec has ${controlPlaneNodes(model).length}): check that they joined without --worker.`,
          { node: node1.hostname, command: 'microk8s status', output: status.stdout },
        );
      }
      return `${model.nodes.length} nodes Ready, high availability`;
    },
    preview: (p) => (ha ? [{ node: node1.hostname, command: p.show(cmd.microk8sStatus()) }] : []),
  };
}

export function joinPlan(model: ClusterModel, options: JoinOptions): Plan {
  assertUsable(model, 'join');
  const steps: Step[] = [
    // Fresh VMs from the OVA carry its hostname and resolve no peer: steps 2 and 3 repair exactly that.
    preflightStep(model.nodes, { repairs: JOIN_REPAIRS, repairedIn: 'plan' }),
    hostsStep(model),
    renameStep(model, options),
    kubeconfigStep(model),
  ];
  if (model.nodes.length > 1) steps.push(joinStep(model, options));
  steps.push(clusterCheckStep(model, options));
  return { operation: 'join', cluster: model.name, model, steps };
}
