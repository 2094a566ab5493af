// What a reset (and a delete) finds to undo: the survey reads the registration, the gateway releases, the
// add-ons Deploy enabled, the nodes and the product's records from the cluster; the list it makes is what the
// confirmation names (the cluster's name typed in) and what every undo step checks before it acts.
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
import type { ConfigMapInfo, KubeNodeInfo, WorkloadInfo } from '../ports';
import type { Confirmation, Step, StepContext } from '../plan';
import { APPLIED_CONFIGMAP } from './applied-state';
import { REPLACEMENTS_CONFIGMAP } from './replace-node';

/** The add-ons Deploy enables, in the order they are disabled. */
export const DEPLOY_ADDONS = ['metallb', 'dns'] as const;
/** The releases Deploy installs, in the order they are uninstalled (the manager uses the storage). */
export const RELEASES = [MANAGER_RELEASE, STORAGE_RELEASE] as const;
/** ConfigMaps the product and the Gateway Manager leave behind (the status goes once de-registered). */
export const RECORDS = [APPLIED_CONFIGMAP, REPLACEMENTS_CONFIGMAP, REGISTRATION_STATUS];

/** MicroK8s' own namespaces (its add-ons' workloads): not the tenants delete protects. */
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'metallb-system']);
const GATEWAY_RELEASES = new Set([STORAGE_RELEASE, MANAGER_RELEASE]);

/** Workloads that are neither MicroK8s' add-ons nor the gateway's releases. */
export function foreignWorkloads(workloads: readonly WorkloadInfo[]): WorkloadInfo[] {
  return workloads.filter(
    (w) => !SYSTEM_NAMESPACES.has(w.namespace) && !(w.release && GATEWAY_RELEASES.has(w.release)),
  );
}
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
  /** What the operator should know that the run does not undo (named in the question, not counted). */
  notes: (ctx: StepContext) => Promise<string[]> = async () => [],
): Step {
  const verb = kind === 'reset' ? 'Reset' : 'Delete';
  return {
    id: 'confirm',
    title: `Confirm what ${kind === 'reset' ? 'the reset' : 'deleting'} undoes`,
    // Asking changes nothing: a declined confirmation leaves the run one that changed nothing.
    readOnly: true,
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
        detail: [
          ...lines.map((l) => `• ${l}`),
          'The VMs stay, each a single-node MicroK8s as after spin-up.',
          ...(await notes(ctx)),
        ].join('\n'),
        answer: model.name,
        undoes: lines.length,
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

/** Reset's note: workloads other than the gateway's are not undone; they stay, on node 1 once the others leave. */
export async function workloadsKept(ctx: StepContext, model: ClusterModel): Promise<string[]> {
  const foreign = foreignWorkloads(await (await ctx.cluster()).listWorkloads());
  if (!foreign.length) return [];
  return [
    `Not undone: ${foreign.map((w) => `${w.namespace}/${w.name} (${w.kind})`).join(', ')} — workloads other than the gateway's stay, on ${model.nodes[0]!.hostname} once the other nodes leave (their data on those nodes goes).`,
  ];
}
