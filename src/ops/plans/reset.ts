// reset (seed 004: a failed or stuck build is reset to start over): de-register if registered, uninstall the
// gateway releases, disable the add-ons Deploy enabled (metallb, dns), make every node but node 1 leave the
// cluster (`microk8s leave` on it, `microk8s remove-node` on node 1), and remove the records Deploy and
// replace-node keep — the VMs as after "spin up", each a single-node MicroK8s. A survey reads what there is
// to undo first; the operator confirms that list (typing the cluster's name); a second reset finds nothing.
import type { ClusterModel } from '../../cluster-spec/types';
import type { OperationArgs } from '../catalog';
import {
  MANAGER_RELEASE,
  NAMESPACE,
  REGISTRATION_SECRET,
  REGISTRATION_STATUS,
  STORAGE_RELEASE,
  cmd,
  parseEnabledAddons,
  parseHelmList,
} from '../node-commands';
import { StepFailure } from '../errors';
import { CHANGED_IN_RUN } from '../runner/run-plan';
import type { ConfigMapInfo, KubeNodeInfo } from '../ports';
import type { Confirmation, Plan, Step, StepContext } from '../plan';
import { APPLIED_CONFIGMAP } from './applied-state';
import { kubeconfigStep } from './kubeconfig';
import { explainLeave, hasLeft, isWorker } from './membership';
import { REPLACEMENTS_CONFIGMAP } from './replace-node';
import { assertUsable } from './validate';

export interface ResetOptions {
  timeouts: { long: number; wait: number };
}

/** The add-ons Deploy enables, in the order they are disabled. */
export const DEPLOY_ADDONS = ['metallb', 'dns'] as const;
/** The releases Deploy installs, in the order they are uninstalled (the manager uses the storage). */
export const RELEASES = [MANAGER_RELEASE, STORAGE_RELEASE] as const;
/** ConfigMaps the product and the Gateway Manager leave behind (the status goes once de-registered). */
const RECORDS = [APPLIED_CONFIGMAP, REPLACEMENTS_CONFIGMAP, REGISTRATION_STATUS];

/** What the cluster has that a reset undoes (read by the survey; every later step checks it). */
export interface ResetSurvey {
  /** The registration's state when registered (the Secret exists, or the state is not disconnected). */
  registration?: string;
  /** Gateway releases installed, as `helm list` names their charts. */
  releases: Array<{ name: string; chart: string }>;
  addons: string[];
  /** Spec nodes other than node 1 that the cluster lists. */
  members: string[];
  /** Nodes the cluster lists that the spec does not name. */
  strangers: string[];
  /** The product's own ConfigMaps. */
  records: string[];
}

export const RESET_SURVEY = 'reset.survey';

export function surveyOf(ctx: StepContext): ResetSurvey {
  const survey = ctx.shared.get(RESET_SURVEY) as ResetSurvey | undefined;
  if (!survey) throw new StepFailure('The survey did not run.', 'Run the operation again.');
  return survey;
}

export const isRegistered = (status: ConfigMapInfo | undefined, secret: unknown): boolean =>
  secret !== undefined ||
  (status !== undefined && !['disconnected', 'failed'].includes(status.data.state ?? ''));

/** Reads what there is to undo. */
export async function survey(ctx: StepContext, model: ClusterModel): Promise<ResetSurvey> {
  const node1 = model.nodes[0]!;
  const api = await ctx.cluster();
  const [status, secret, live, helm, addons, records] = await Promise.all([
    api.readConfigMap(NAMESPACE, REGISTRATION_STATUS),
    api.readSecret(NAMESPACE, REGISTRATION_SECRET),
    api.listNodes(ctx.signal),
    ctx.exec(node1, cmd.helmList(), { okCodes: 'any', quiet: true }),
    ctx.exec(node1, cmd.microk8sStatus(), { quiet: true }),
    Promise.all(RECORDS.map(async (name) => ((await api.readConfigMap(NAMESPACE, name)) ? [name] : []))),
  ]);
  const enabled = parseEnabledAddons(addons.stdout);
  const names = (k: KubeNodeInfo[]) => k.map((n) => n.name);
  const own = (name: string) => model.nodes.some((n) => n.hostname === name);
  return {
    ...(isRegistered(status, secret) ? { registration: status?.data.state ?? 'registered' } : {}),
    releases: parseHelmList(helm.stdout)
      .filter((r) => (RELEASES as readonly string[]).includes(r.name))
      .map((r) => ({ name: r.name, chart: r.chart })),
    addons: DEPLOY_ADDONS.filter((a) => enabled.has(a)),
    members: names(live).filter((name) => name !== node1.hostname && own(name)),
    strangers: names(live).filter((name) => name !== node1.hostname && !own(name)),
    records: records.flat(),
  };
}

/** One line per thing the reset undoes; empty when there is nothing. */
export function undoList(model: ClusterModel, s: ResetSurvey): string[] {
  const node1 = model.nodes[0]!.hostname;
  return [
    ...(s.registration ? [`de-register the cluster (its registration is ${s.registration})`] : []),
    ...s.releases.map((r) => `uninstall the release ${r.name} (${r.chart})`),
    ...s.addons.map((a) => `disable the ${a} add-on`),
    ...(s.members.length
      ? [`make ${s.members.join(', ')} leave the cluster (microk8s leave, then remove-node on ${node1})`]
      : []),
    ...(s.records.length ? [`delete the records ${s.records.join(', ')}`] : []),
  ];
}

export function surveyStep(
  model: ClusterModel,
  refuse?: (ctx: StepContext, s: ResetSurvey) => Promise<void>,
): Step {
  return {
    id: 'survey',
    title: 'Find what there is to undo',
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: 'the registration, the releases, the add-ons and the nodes read from the cluster',
    async run(ctx) {
      const s = await survey(ctx, model);
      ctx.shared.set(RESET_SURVEY, s);
      if (s.strangers.length)
        throw new StepFailure(
          `The cluster has node${s.strangers.length === 1 ? '' : 's'} the spec does not name: ${s.strangers.join(', ')}.`,
          'Add them to the spec (hostname and address) so that they can leave too, or remove them first (Remove Node).',
        );
      await refuse?.(ctx, s);
      const undo = undoList(model, s);
      for (const line of undo) ctx.log(`to undo: ${line}`);
      return undo.length ? `${undo.length} to undo` : 'nothing to undo: the VMs are as after spin-up';
    },
    preview: (p) => [
      { node: model.nodes[0]!.hostname, command: p.show(cmd.helmList()) },
      { node: model.nodes[0]!.hostname, command: p.show(cmd.microk8sStatus()) },
      {
        node: 'Kubernetes API',
        command: `read the nodes, Secret ${REGISTRATION_SECRET}, ConfigMaps ${RECORDS.join(', ')}`,
      },
    ],
  };
}

export function confirmStep(
  model: ClusterModel,
  args: OperationArgs,
  kind: 'reset' | 'delete',
  extra: (ctx: StepContext) => Promise<string[]> = async () => [],
): Step {
  const verb = kind === 'reset' ? 'Reset' : 'Delete';
  return {
    id: 'confirm',
    title: `Confirm what ${kind === 'reset' ? 'the reset' : 'deleting'} undoes`,
    checkText: 'nothing to undo (the survey found nothing); else never: it is confirmed every time',
    async check(ctx) {
      const lines = [...undoList(model, surveyOf(ctx)), ...(await extra(ctx))];
      return lines.length ? undefined : 'nothing to undo';
    },
    async run(ctx) {
      const lines = [...undoList(model, surveyOf(ctx)), ...(await extra(ctx))];
      if (args.confirm === model.name) return `confirmed ahead (--confirm ${model.name})`;
      const question: Confirmation = {
        kind,
        node: model.nodes[0]!.hostname,
        title: `${verb} ${model.name}? It undoes ${lines.length} thing${lines.length === 1 ? '' : 's'}:`,
        detail: `${lines.map((l) => `• ${l}`).join('\n')}\nThe VMs stay, each a single-node MicroK8s as after spin-up.`,
        answer: model.name,
      };
      if (!(await ctx.confirm(question)))
        throw new StepFailure(
          `${verb} of ${model.name} was not confirmed; nothing was undone.`,
          `Confirm by typing the cluster's name when asked (the CLI: --confirm ${model.name}).`,
        );
      return 'confirmed';
    },
    preview: () => [],
  };
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

export function resetPlan(model: ClusterModel, args: OperationArgs, options: ResetOptions): Plan {
  assertUsable(model, 'reset');
  return {
    operation: 'reset',
    cluster: model.name,
    model,
    steps: [
      kubeconfigStep(model),
      surveyStep(model),
      confirmStep(model, args, 'reset'),
      ...undoSteps(model, options),
    ],
  };
}
