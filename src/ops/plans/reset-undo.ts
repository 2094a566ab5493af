// The steps that undo a build, each acting only on what the survey found (reset-survey.ts): de-register,
// uninstall the gateway releases, delete the product's records, disable the add-ons Deploy enabled, make every
// node but node 1 leave (`microk8s leave` on it, `microk8s remove-node` on node 1), then a new survey that must
// find nothing. reset runs them; delete runs them before it forgets what this machine keeps.
import type { ClusterModel } from '../../cluster-spec/types';
import {
  MANAGER_RELEASE,
  NAMESPACE,
  REGISTRATION_SECRET,
  REGISTRATION_STATUS,
  cmd,
  parseEnabledAddons,
  parseHelmList,
} from '../node-commands';
import { StepFailure } from '../errors';
import { CHANGED_IN_RUN } from '../runner/run-plan';
import type { ConfigMapInfo, KubeNodeInfo } from '../ports';
import type { Step } from '../plan';
import { explainLeave, hasLeft, isWorker } from './membership';
import { DEPLOY_ADDONS, RECORDS, RELEASES, survey, surveyOf, undoList } from './reset-survey';

export interface ResetOptions {
  timeouts: { long: number; wait: number };
}

function deregisterStep(model: ClusterModel, o: ResetOptions): Step {
  return {
    id: 'deregister',
    title: 'De-register the cluster',
    checkText: 'the survey found no registration',
    proofText: `${REGISTRATION_STATUS} says disconnected (or, with no Gateway Manager installed to answer, is removed)`,
    async check(ctx) {
      return surveyOf(ctx).registration ? undefined : 'not registered';
    },
    async run(ctx) {
      const api = await ctx.cluster();
      await api.deleteSecret(NAMESPACE, REGISTRATION_SECRET);
      const pods = await api.podsOfRelease(NAMESPACE, MANAGER_RELEASE);
      if (!pods.some((p) => p.ready)) {
        // Nobody is there to answer: the status it left goes with the Secret.
        await api.deleteConfigMap(NAMESPACE, REGISTRATION_STATUS);
        return 'no Gateway Manager runs to answer: the registration and its status removed';
      }
      await ctx.waitFor<ConfigMapInfo | undefined>(
        'the Gateway Manager to disconnect',
        (onValue, onError) => api.watchConfigMap(NAMESPACE, REGISTRATION_STATUS, onValue, onError),
        (cm) => !cm || cm.data.state === 'disconnected',
        o.timeouts.wait,
      );
      return 'disconnected';
    },
    preview: () => [
      {
        node: 'Kubernetes API',
        command: `delete Secret ${NAMESPACE}/${REGISTRATION_SECRET}, wait for disconnected`,
      },
    ],
  };
}

function uninstallStep(model: ClusterModel, o: ResetOptions, release: string): Step {
  const node1 = model.nodes[0]!;
  return {
    id: `uninstall-${release}`,
    title: `Uninstall ${release}`,
    checkText: '`helm list` does not show the release',
    proofText: '`helm list` no longer shows it',
    async check(ctx) {
      return surveyOf(ctx).releases.some((r) => r.name === release) ? undefined : 'not installed';
    },
    async run(ctx) {
      await ctx.exec(node1, cmd.helmUninstall(release), { timeoutMs: o.timeouts.long });
      const left = parseHelmList((await ctx.exec(node1, cmd.helmList(), { quiet: true })).stdout);
      if (left.some((r) => r.name === release))
        throw new StepFailure(
          `${release} is still installed after helm uninstall.`,
          'Read the output above, then resume.',
          {
            node: node1.hostname,
          },
        );
      return `${release} uninstalled`;
    },
    preview: (p) => [{ node: node1.hostname, command: p.show(cmd.helmUninstall(release)) }],
  };
}

function disableStep(model: ClusterModel, o: ResetOptions, addon: string): Step {
  const node1 = model.nodes[0]!;
  return {
    id: `disable-${addon}`,
    title: `Disable the ${addon} add-on`,
    checkText: `\`microk8s status\` lists ${addon} disabled`,
    proofText: `\`microk8s status\` lists ${addon} disabled`,
    async check(ctx) {
      return surveyOf(ctx).addons.includes(addon) ? undefined : 'not enabled';
    },
    async run(ctx) {
      await ctx.exec(node1, cmd.disableAddon(addon), { timeoutMs: o.timeouts.long });
      const status = await ctx.exec(node1, cmd.microk8sStatus(), { quiet: true });
      if (parseEnabledAddons(status.stdout).has(addon))
        throw new StepFailure(`${addon} is still enabled.`, 'Read the output above, then resume.', {
          node: node1.hostname,
        });
      return `${addon} disabled`;
    },
    preview: (p) => [{ node: node1.hostname, command: p.show(cmd.disableAddon(addon)) }],
  };
}

function leaveStep(model: ClusterModel, o: ResetOptions): Step {
  const node1 = model.nodes[0]!;
  // The last joined first, as a cluster shrinks.
  const others = model.nodes.slice(1).reverse();
  return {
    id: 'leave',
    title: `Make every node but ${node1.hostname} leave the cluster`,
    nodes: others,
    checkText: 'the cluster does not list the node',
    proofText: `its Node object is gone (watched) after microk8s leave on it and remove-node on ${node1.hostname}`,
    async check(ctx, node) {
      return surveyOf(ctx).members.includes(node!.hostname) ? undefined : 'not in the cluster';
    },
    async run(ctx, node) {
      const n = node!;
      const api = await ctx.cluster();
      const live = await api.listNodes(ctx.signal);
      let force = false;
      if (!(await hasLeft(ctx, n, live))) {
        const left = await ctx.exec(n, cmd.leave(), {
          timeoutMs: o.timeouts.long,
          okCodes: [0, 2],
          explain: explainLeave(n),
        });
        // Two datastore voters have no quorum once the leaving one stops its own (leave.py exit 2): the last
        // control-plane node to go is dropped from node 1's side instead, where both still run.
        const planes = live.filter(
          (k) =>
            !isWorker(
              k,
              model.nodes.find((m) => m.hostname === k.name),
            ),
        );
        if (left.code === 2) {
          if (planes.length !== 2 || !planes.some((k) => k.name === node1.hostname))
            throw new StepFailure(explainLeave(n)(left)!.message, explainLeave(n)(left)!.hint, {
              node: n.hostname,
            });
          ctx.log(
            `${n.hostname} and ${node1.hostname} are the datastore's last two voters: ${node1.hostname} removes it`,
            n,
          );
          force = true;
        }
      }
      const removed = await ctx.exec(node1, cmd.removeNode(n.hostname, force), {
        okCodes: 'any',
        timeoutMs: o.timeouts.long,
      });
      // A node the API no longer knows is gone already (remove_node.py: "does not exist in Kubernetes").
      if (removed.code !== 0 && !/does not exist/.test(removed.stdout + removed.stderr))
        throw new StepFailure(
          `microk8s remove-node ${n.hostname} on ${node1.hostname} failed (exit ${removed.code ?? 'signal'}).`,
          'Read the output above, then resume.',
          { node: node1.hostname },
        );
      await ctx.waitFor<KubeNodeInfo[]>(
        `${n.hostname} to leave the API`,
        (onValue, onError) => api.watchNodes(onValue, onError),
        (nodes) => !nodes.some((k) => k.name === n.hostname),
        o.timeouts.wait,
      );
      return `${n.hostname} left; a single-node MicroK8s of its own`;
    },
    preview: (p, node) => [
      { node: node!.hostname, command: p.show(cmd.leave()), when: 'when it still sees the cluster' },
      {
        node: node1.hostname,
        command: p.show(cmd.removeNode(node!.hostname)),
        when: `with --force for the last control-plane node: two voters have no quorum once one leaves`,
      },
    ],
  };
}

function recordsStep(): Step {
  return {
    id: 'records',
    title: 'Delete the records the gateway leaves (what Deploy applied, the registration status)',
    checkText: `no ConfigMap ${RECORDS.join(' or ')}`,
    async check(ctx) {
      return surveyOf(ctx).records.length ? undefined : 'no records';
    },
    async run(ctx) {
      const api = await ctx.cluster();
      for (const name of surveyOf(ctx).records) await api.deleteConfigMap(NAMESPACE, name);
      return `${surveyOf(ctx).records.join(', ')} deleted`;
    },
    preview: () => [
      { node: 'Kubernetes API', command: `delete ConfigMaps ${RECORDS.join(', ')} in ${NAMESPACE}` },
    ],
  };
}

function verifyStep(model: ClusterModel): Step {
  return {
    id: 'verify',
    title: 'Check that nothing is left to undo',
    readOnly: true,
    checkText: 'nothing changed in this run and the survey found nothing',
    proofText: 'a new survey finds nothing to undo',
    async check(ctx) {
      return !ctx.shared.get(CHANGED_IN_RUN) && undoList(model, surveyOf(ctx)).length === 0
        ? 'nothing was left to undo'
        : undefined;
    },
    async run(ctx) {
      const left = undoList(model, await survey(ctx, model));
      if (left.length)
        throw new StepFailure(`Still to undo: ${left.join('; ')}.`, 'Read the output above, then resume.');
      return `${model.nodes[0]!.hostname} is a single-node MicroK8s with no gateway releases`;
    },
    preview: () => [],
  };
}

/** The steps that undo what the survey found (reset's, and delete's before it forgets). */
export function undoSteps(model: ClusterModel, o: ResetOptions): Step[] {
  return [
    deregisterStep(model, o),
    ...RELEASES.map((release) => uninstallStep(model, o, release)),
    recordsStep(),
    ...DEPLOY_ADDONS.map((addon) => disableStep(model, o, addon)),
    ...(model.nodes.length > 1 ? [leaveStep(model, o)] : []),
    verifyStep(model),
  ];
}
