// replace-node, the firmware upgrade by VM swap (seed 001): drain and remove the old node, wait for the new
// VM at the same address, trust its new host key as a deliberate step (old and new fingerprint shown, the
// operator confirms the VM was replaced; the old key is then revoked), fix /etc/hosts, rename, join, wait
// Ready, uncordon. Which keys belonged to the old VM is recorded in the cluster (ConfigMap
// gateway-cluster-replacements) when the replacement starts, so every step can resume.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import type { OperationArgs } from '../catalog';
import { StepFailure } from '../errors';
import { NAMESPACE } from '../node-commands';
import type { HostKeyProbe } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import {
  clusterCheckStep,
  controlPlaneNodes,
  hostsStep,
  joinStep,
  renameStep,
  type JoinOptions,
} from './join';
import { kubeconfigStep } from './kubeconfig';
import {
  drainStep,
  leaveStep,
  liveNodes,
  observeTarget,
  removalRefusal,
  removeNodeStep,
  targetNode,
  targetState,
} from './membership';
import { assertUsable } from './validate';

export const REPLACEMENTS_CONFIGMAP = 'gateway-cluster-replacements';
const POLL_MS = 2_000;

interface Replacement {
  /** Fingerprints of the old VM's host key(s). */
  old: string[];
  startedAt: string;
}

async function readReplacement(ctx: StepContext, node: NodeModel): Promise<Replacement | undefined> {
  const cm = await (await ctx.cluster()).readConfigMap(NAMESPACE, REPLACEMENTS_CONFIGMAP);
  try {
    const value = JSON.parse(cm?.data[node.hostname] ?? '') as Replacement;
    return Array.isArray(value.old) ? value : undefined;
  } catch {
    return undefined;
  }
}

async function writeReplacement(ctx: StepContext, node: NodeModel, value: Replacement | undefined) {
  const api = await ctx.cluster();
  const data = { ...(await api.readConfigMap(NAMESPACE, REPLACEMENTS_CONFIGMAP))?.data };
  if (value) data[node.hostname] = JSON.stringify(value);
  else delete data[node.hostname];
  await api.applyConfigMap(NAMESPACE, REPLACEMENTS_CONFIGMAP, data);
}

async function probe(ctx: StepContext, node: NodeModel): Promise<HostKeyProbe | undefined> {
  try {
    return await ctx.hostKeys().probe(node, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted || error instanceof StepFailure) throw error;
    return undefined;
  }
}

/** The key a VM presents now when it is not the old VM's (undefined while nothing or the old VM answers). */
const newKey = (p: HostKeyProbe | undefined, r: Replacement): HostKeyProbe | undefined =>
  p !== undefined && p.status !== 'revoked' && !r.old.includes(p.fingerprint) ? p : undefined;

function checkStep(model: ClusterModel, node: NodeModel): Step {
  return {
    id: 'check',
    title: `Check that ${node.hostname} can be replaced`,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: "the other nodes are Ready; the old VM's host key is recorded in the cluster",
    async run(ctx) {
      const live = await observeTarget(ctx, node);
      const state = targetState(ctx);
      if (model.nodes.length === 1)
        throw new StepFailure(
          `${node.hostname} is the cluster's only node: swapping it means building the cluster again.`,
          'Deploy the new VM, then run Join nodes, Deploy and Register on it (with the same management profile).',
        );
      const refusal = state.gone ? undefined : removalRefusal(model, node, live);
      // A replacement brings the node back: only dropping below 3 for a while is acceptable.
      if (refusal && !/would leave this ha cluster/.test(refusal.message))
        throw new StepFailure(refusal.message, refusal.hint, { node: node.hostname });
      if (refusal)
        ctx.log(
          `while ${node.hostname} is swapped the cluster runs on one control-plane node fewer: a second failure meanwhile can stop the datastore`,
        );
      let record = await readReplacement(ctx, node);
      const seen = await probe(ctx, node);
      if (!record) {
        const known = seen?.known.length ? seen.known : [];
        const old = seen?.status === 'trusted' ? [seen.fingerprint] : known;
        record = { old, startedAt: new Date().toISOString() };
        await writeReplacement(ctx, node, record);
        ctx.log(`the old VM's host key: ${old.join(', ') || 'none on record'}`);
      }
      const me = live.find((k) => k.name === node.hostname);
      if (me && (newKey(seen, record) || (!seen && !me.ready))) {
        state.force = true;
        return `the old VM of ${node.hostname} is gone already: it is removed from the datastore by force`;
      }
      if (me && !me.ready)
        throw new StepFailure(
          `${node.hostname} answers over SSH but is NotReady: draining it and microk8s leave need MicroK8s running.`,
          `Start MicroK8s on ${node.hostname} (microk8s start), then run this again.`,
          { node: node.hostname },
        );
      return state.gone
        ? `${node.hostname} is out of the cluster already`
        : `${node.hostname} can be swapped`;
    },
    preview: () => [
      {
        node: 'Kubernetes API',
        command: `record the old VM's host key fingerprint in ConfigMap ${NAMESPACE}/${REPLACEMENTS_CONFIGMAP}`,
      },
    ],
  };
}

const NEW_KEY = 'replace.newKey';

function swapStep(node: NodeModel, waitMs: number): Step {
  const todo =
    `power off the VM of ${node.hostname}, deploy the new OVA as a VM with the address ${node.address} ` +
    '(same network; attach it to the same management profile), power it on';
  return {
    id: 'swap',
    title: `Wait for the new VM at ${node.address}`,
    checkText: `${node.address} answers SSH with a host key that is not the old VM's`,
    proofText: 'SSH at the address presents a new host key (read only, nothing trusted yet)',
    async check(ctx) {
      const record = await readReplacement(ctx, node);
      const fresh = record && newKey(await probe(ctx, node), record);
      if (!fresh) return undefined;
      ctx.shared.set(NEW_KEY, fresh.fingerprint);
      return `a new VM answers at ${node.address} (${fresh.fingerprint})`;
    },
    async run(ctx) {
      const record = await readReplacement(ctx, node);
      if (!record) throw new StepFailure('The replacement record is missing.', 'Run replace-node again.');
      ctx.log(`Now, in the hypervisor: ${todo}. Waiting for SSH at ${node.address} with a new host key…`);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const seen = await probe(ctx, node);
        const fresh = newKey(seen, record);
        if (fresh) {
          ctx.shared.set(NEW_KEY, fresh.fingerprint);
          return `a new VM answers at ${node.address} (${fresh.fingerprint})`;
        }
        if (Date.now() > deadline)
          throw new StepFailure(
            `No new VM answered at ${node.address} within ${Math.round(waitMs / 60_000)} minutes (${seen ? `the old key ${seen.fingerprint} still answers` : 'nothing answers'}).`,
            `Swap the VM (${todo}), then resume: the removal is done and is not repeated.`,
            { node: node.hostname },
          );
        await ctx.sleep(POLL_MS);
      }
    },
    preview: () => [{ node: 'you, in the hypervisor', command: todo }],
  };
}

function trustStep(node: NodeModel, args: OperationArgs): Step {
  return {
    id: 'trust',
    title: `Trust the new host key of ${node.hostname}`,
    checkText: "known_hosts trusts the key the new VM presents (the old VM's key revoked)",
    proofText: 'the new key is recorded, the old one marked @revoked',
    async check(ctx) {
      const record = await readReplacement(ctx, node);
      const fresh = record && newKey(await probe(ctx, node), record);
      return fresh?.status === 'trusted' ? `${fresh.fingerprint} is trusted for ${node.address}` : undefined;
    },
    async run(ctx) {
      const record = await readReplacement(ctx, node);
      const seen = record && newKey(await probe(ctx, node), record);
      if (!record || !seen)
        throw new StepFailure(
          `${node.address} does not present a new host key now.`,
          'Check that the new VM runs with that address, then resume.',
          { node: node.hostname },
        );
      const old = record.old.length ? record.old.join(', ') : 'none on record';
      const confirmed =
        args.confirm === seen.fingerprint ||
        (await ctx.confirm({
          kind: 'replacedHostKey',
          node: node.hostname,
          title: `Trust the new VM at ${node.address} as ${node.hostname}?`,
          detail:
            `The old VM's key: ${old}\nThe key presented now: ${seen.fingerprint} (${seen.keyType})\n` +
            `Confirm only if you replaced the VM: compare the new key with the VM's console ` +
            `(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). The old key is then revoked.`,
          answer: seen.fingerprint,
        }));
      if (!confirmed)
        throw new StepFailure(
          `The new host key ${seen.fingerprint} of ${node.address} was not trusted.`,
          `Compare it with the new VM's console, then resume and confirm (the CLI: --confirm ${seen.fingerprint}).`,
          { node: node.hostname },
        );
      await ctx.hostKeys().replace(node, seen.fingerprint, ctx.signal);
      return `trusted ${seen.fingerprint}; revoked ${old}`;
    },
    preview: () => [
      {
        node: 'this machine',
        command: "record the new VM's host key in known_hosts, mark the old one @revoked",
        when: 'after you confirm the new fingerprint',
      },
    ],
  };
}

function uncordonStep(node: NodeModel): Step {
  return {
    id: 'uncordon',
    title: `Uncordon ${node.hostname}`,
    checkText: 'the node is schedulable',
    proofText: 'the Node object has no unschedulable flag',
    async check(ctx) {
      const me = (await liveNodes(ctx)).find((k) => k.name === node.hostname);
      return me && !me.unschedulable ? `${node.hostname} is schedulable` : undefined;
    },
    async run(ctx) {
      await (await ctx.cluster()).uncordonNode(node.hostname);
      return `${node.hostname} is schedulable`;
    },
    preview: () => [{ node: 'Kubernetes API', command: `uncordon ${node.hostname}` }],
  };
}

function doneStep(node: NodeModel): Step {
  return {
    id: 'done',
    title: 'Close the replacement record',
    checkText: `no record for ${node.hostname} in ${REPLACEMENTS_CONFIGMAP}`,
    async check(ctx) {
      return (await readReplacement(ctx, node)) ? undefined : 'no open replacement';
    },
    async run(ctx) {
      await writeReplacement(ctx, node, undefined);
      return `${node.hostname} replaced`;
    },
    preview: () => [],
  };
}

export function replaceNodePlan(model: ClusterModel, args: OperationArgs, options: JoinOptions): Plan {
  assertUsable(model, 'replace-node');
  const node = targetNode(model, args, 'replace-node');
  const issuer = controlPlaneNodes(model).find((n) => n !== node) ?? model.nodes.find((n) => n !== node)!;
  const steps: Step[] = [
    kubeconfigStep(model),
    checkStep(model, node),
    drainStep(node),
    leaveStep(node, options.timeouts.long),
    removeNodeStep(model, node, { wait: options.timeouts.wait }),
    swapStep(node, options.timeouts.wait),
    trustStep(node, args),
    hostsStep(model),
    renameStep(model, options, [node]),
    joinStep(model, options, [node], issuer),
    uncordonStep(node),
    clusterCheckStep(model, options, issuer),
    doneStep(node),
  ];
  return { operation: 'replace-node', cluster: model.name, node: node.hostname, model, steps };
}
