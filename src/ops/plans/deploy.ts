// Deploy: dns, metallb (always with its range), proxy, the storage chart, the Gateway Manager chart, then
// wait through the API until both releases run and the Service has the floating IP.
import type { ClusterModel, NodeModel, ProxyModel } from '../../cluster-spec/types';
import { shellAssignment, withAssignments } from '../../encode';
import {
  CONTAINERD_ENV,
  MANAGER_RELEASE,
  MANAGER_SERVICE,
  NAMESPACE,
  STORAGE_RELEASE,
  cmd,
  helmInstall,
  managerValues,
  parseEnabledAddons,
  parseHelmList,
  PROXY_VARIABLES,
  proxyAssignments,
} from '../node-commands';
import type { ChartInstall } from '../node-commands';
import { StepFailure } from '../errors';
import { CHANGED_IN_RUN } from '../runner/run-plan';
import type { PodInfo } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import { APPLIED_CONFIGMAP, differences, readApplied, recordApplied, secretDigest } from './applied-state';
import type { AppliedRelease } from './applied-state';
import { kubeconfigStep } from './kubeconfig';
import { assertUsable } from './validate';

export interface DeployOptions {
  timeouts: { command: number; long: number; wait: number };
}

export const MANAGER_URL = 'deploy.managerUrl';

async function enabledAddons(ctx: StepContext, node: NodeModel): Promise<Set<string>> {
  return parseEnabledAddons((await ctx.exec(node, cmd.microk8sStatus())).stdout);
}

/** How the dry run shows a change made through the Kubernetes API. */
const API = 'Kubernetes API';

export function addonStep(model: ClusterModel, o: DeployOptions, addon: 'dns' | 'metallb'): Step {
  const node1 = model.nodes[0]!;
  const range = model.network.metallbRange;
  const command = addon === 'dns' ? cmd.enableDns() : cmd.enableMetallb(range);
  /** The ranges metallb hands out when it is enabled with others than the spec's (drift to repair). */
  const otherRanges = async (ctx: StepContext): Promise<string[] | undefined> => {
    const ranges = await (await ctx.cluster()).metallbAddressRanges();
    if (ranges === undefined) {
      throw new StepFailure(
        'metallb is enabled but its address pool could not be read through the Kubernetes API.',
        `Check "microk8s kubectl get ipaddresspools -n metallb-system" on ${node1.hostname}, then resume.`,
      );
    }
    return ranges.length === 1 && ranges[0] === range ? undefined : ranges;
  };
  return {
    id: addon,
    title: addon === 'dns' ? 'Enable the dns add-on' : `Enable the metallb add-on with ${range}`,
    checkText:
      addon === 'dns'
        ? '`microk8s status` lists dns enabled'
        : "`microk8s status` lists metallb enabled and its pool hands out exactly the spec's range",
    proofText:
      addon === 'dns' ? '`microk8s status` lists dns enabled' : `metallb enabled, its pool set to ${range}`,
    async check(ctx) {
      if (!(await enabledAddons(ctx, node1)).has(addon)) return undefined;
      if (addon === 'dns') return 'dns is enabled';
      const others = await otherRanges(ctx);
      if (!others) return `metallb is enabled with ${range}`;
      ctx.log(`differs: metallb hands out ${others.join(', ') || 'nothing'}, the spec asks for ${range}`);
      return undefined;
    },
    async run(ctx) {
      const enabled = (await enabledAddons(ctx, node1)).has(addon);
      if (addon === 'metallb' && enabled) {
        // `microk8s enable metallb:RANGE` leaves an enabled add-on's pool alone: the pool itself is changed.
        await (await ctx.cluster()).setMetallbAddressRanges([range]);
        const others = await otherRanges(ctx);
        if (others)
          throw new StepFailure(
            `metallb's pool still hands out ${others.join(', ')} after setting it to ${range}.`,
            'Something else manages the pool (a GitOps tool?): change it there, then resume.',
          );
        return `metallb's pool set to ${range}`;
      }
      await ctx.exec(node1, command, { timeoutMs: o.timeouts.long });
      if (!(await enabledAddons(ctx, node1)).has(addon)) {
        throw new StepFailure(
          `\`microk8s status\` does not list ${addon} as enabled after enabling it.`,
          `Read the output above, then resume.`,
          { node: node1.hostname },
        );
      }
      return `${addon} enabled`;
    },
    preview: (p) => [
      { node: node1.hostname, command: p.show(command), when: `when ${addon} is not enabled` },
      ...(addon === 'metallb'
        ? [
            {
              node: API,
              command: `replace ipaddresspools.metallb.io metallb-system/default-addresspool with spec.addresses [${range}]`,
              when: 'when metallb is enabled with another range',
            },
          ]
        : []),
    ],
  };
}

function proxyStep(model: ClusterModel, o: DeployOptions, proxy: ProxyModel): Step {
  /** The file's text now and as the spec wants it (only the proxy variables differ; the rest is kept). */
  const texts = async (ctx: StepContext, node: NodeModel) => {
    const current = (await ctx.exec(node, cmd.readContainerdEnv(), { okCodes: 'any' })).stdout;
    const credentials = proxy.credentialsSecret
      ? await ctx.secret(proxy.credentialsSecret, 'the proxy credentials')
      : undefined;
    return {
      current,
      wanted: withAssignments(current, proxyAssignments(proxy, credentials), PROXY_VARIABLES),
    };
  };
  const names = proxyAssignments(proxy).map(([name]) => name);
  return {
    id: 'proxy',
    title: 'Configure the proxy for containerd',
    nodes: model.nodes,
    parallel: false,
    checkText: `${CONTAINERD_ENV} sets ${names.join(', ')} to the spec's values`,
    proofText: 'the file holds the values and MicroK8s is ready again after its restart',
    async check(ctx, node) {
      const { current, wanted } = await texts(ctx, node!);
      return current === wanted ? 'proxy already configured' : undefined;
    },
    async run(ctx, node) {
      const n = node!;
      const { wanted } = await texts(ctx, n);
      // Values are single-quoted for the shell that sources the file; the text travels on stdin only.
      await ctx.exec(n, cmd.writeContainerdEnv(), {
        sudo: true,
        stdin: wanted,
        stdinLabel: `${CONTAINERD_ENV} with ${names.join(', ')} set (other lines kept)`,
      });
      await ctx.exec(n, cmd.microk8sStop(), { timeoutMs: o.timeouts.long });
      await ctx.exec(n, cmd.microk8sStart(), { timeoutMs: o.timeouts.long });
      await ctx.exec(n, cmd.waitReady(300), { timeoutMs: 330_000 });
      return 'proxy configured, MicroK8s restarted';
    },
    preview: (p, node) => [
      { node: node!.hostname, command: p.show(cmd.readContainerdEnv()) },
      {
        node: node!.hostname,
        command: p.show(cmd.writeContainerdEnv()),
        sudo: true,
        stdin: proxyAssignments(proxy, proxy.credentialsSecret ? p.placeholderSecret() : undefined)
          .map(([name, value]) => shellAssignment(name, value))
          .join('\\n'),
        when: `when ${names.join(', ')} differ from the spec (other lines are kept)`,
      },
      { node: node!.hostname, command: p.show(cmd.microk8sStop()) },
      { node: node!.hostname, command: p.show(cmd.microk8sStart()) },
      { node: node!.hostname, command: p.show(cmd.waitReady(300)) },
    ],
  };
}

function chartFor(model: ClusterModel, release: string): ChartInstall {
  const ha = model.topology === 'ha';
  const set: Array<[string, string]> = [];
  if (release === STORAGE_RELEASE && ha && model.storage.nfs) {
    set.push(['nfs.server', model.storage.nfs.server], ['nfs.path', model.storage.nfs.path]);
  }
  return {
    release,
    repository: model.charts.repository,
    version: model.charts.version,
    clusterValues: ha,
    set,
    valuesOnStdin: release === MANAGER_RELEASE,
  };
}

/** The chart version and the values the spec gives a release (what the tree compares the release with). */
export function specReleaseValues(
  model: ClusterModel,
  release: string,
): { version: string; values: Record<string, string> } | undefined {
  if (release !== STORAGE_RELEASE && release !== MANAGER_RELEASE) return undefined;
  return { version: model.charts.version, values: Object.fromEntries(chartFor(model, release).set) };
}

/** What the release is applied with, as recorded beside it (the secret only as a digest). */
function wantedRecord(model: ClusterModel, chart: ChartInstall): Omit<AppliedRelease, 'secretDigest'> {
  const values: Record<string, string> = Object.fromEntries(chart.set);
  values['values file'] = chart.clusterValues ? 'cluster.yaml (HA)' : 'none (single node)';
  return { version: model.charts.version, values };
}

export function chartStep(model: ClusterModel, o: DeployOptions, release: string): Step {
  const node1 = model.nodes[0]!;
  const chart = chartFor(model, release);
  const expected = `${release}-${model.charts.version}`;
  const password = async (ctx: StepContext) =>
    chart.valuesOnStdin
      ? await ctx.secret(model.gatewayManager.passwordSecret, 'the Gateway Manager password')
      : undefined;
  return {
    id: release === STORAGE_RELEASE ? 'storage' : 'manager',
    title:
      release === STORAGE_RELEASE
        ? 'Install the persistent storage chart'
        : 'Install the Gateway Manager chart',
    checkText:
      `\`helm list\` shows ${release} deployed from ${expected}, and the values recorded with it ` +
      `(${APPLIED_CONFIGMAP}) match the spec${chart.valuesOnStdin ? ' and the stored password' : ''}`,
    proofText: `\`helm list\` shows ${release} deployed`,
    async check(ctx) {
      const r = await ctx.exec(node1, cmd.helmList(), { okCodes: 'any' });
      const found = parseHelmList(r.stdout).find((x) => x.name === release);
      if (!found || found.status !== 'deployed') return undefined;
      const secret = await password(ctx);
      const differs = differences(
        await readApplied(await ctx.cluster(), release),
        wantedRecord(model, chart),
        secret === undefined ? undefined : { value: secret, what: 'the Gateway Manager password' },
      );
      if (found.chart !== expected)
        differs.unshift(`helm list shows ${found.chart}, the spec asks for ${expected}`);
      if (differs.length === 0) return `${release} is deployed from ${expected} with the spec's values`;
      for (const line of differs) ctx.log(`differs: ${line}`);
      return undefined;
    },
    async run(ctx) {
      const secret = await password(ctx);
      const stdin = secret === undefined ? undefined : managerValues(secret);
      await ctx.exec(node1, helmInstall(chart), {
        stdin,
        stdinLabel: stdin ? 'values file: secrets.defaultPassword (masked)' : undefined,
        timeoutMs: o.timeouts.long,
      });
      const r = await ctx.exec(node1, cmd.helmList());
      const found = parseHelmList(r.stdout).find((x) => x.name === release);
      if (!found || found.status !== 'deployed') {
        throw new StepFailure(
          `${release} is not deployed after the install (helm says ${found?.status ?? 'nothing'}).`,
          `Read the output above; "microk8s helm3 status ${release}" on ${node1.hostname} tells more. Then resume.`,
          { node: node1.hostname },
        );
      }
      await recordApplied(await ctx.cluster(), release, {
        ...wantedRecord(model, chart),
        ...(secret === undefined ? {} : { secretDigest: secretDigest(secret) }),
      });
      return `${release} ${model.charts.version} deployed`;
    },
    preview: (p) => [
      {
        node: node1.hostname,
        command: p.show(helmInstall(chart)),
        stdin: chart.valuesOnStdin
          ? `secrets:\n  defaultPassword: ${p.show({ argv: [p.placeholderSecret()] })}`
          : undefined,
        when: 'when the release is missing or differs from the spec (an upgrade keeps its data)',
      },
      {
        node: API,
        command:
          `record ${release}'s chart version and values in ConfigMap ${NAMESPACE}/${APPLIED_CONFIGMAP}` +
          (chart.valuesOnStdin ? ' (the password as a salted scrypt digest)' : ''),
      },
    ],
  };
}

function podsReady(pods: PodInfo[]): boolean {
  return pods.length > 0 && pods.every((p) => p.ready || p.phase === 'Succeeded');
}

function waitStep(model: ClusterModel, o: DeployOptions): Step {
  const ip = model.network.floatingIp;
  const url = `https://${ip}:${model.gatewayManager.port}`;
  return {
    id: 'wait',
    title: 'Wait for the gateway services',
    proofText: `every pod of both releases Ready and the ${MANAGER_SERVICE} Service at ${ip}`,
    checkText: 'nothing changed in this run and the proof holds already',
    async check(ctx) {
      if (ctx.shared.get(CHANGED_IN_RUN)) return undefined;
      const api = await ctx.cluster();
      for (const release of [STORAGE_RELEASE, MANAGER_RELEASE]) {
        if (!podsReady(await api.podsOfRelease(NAMESPACE, release))) return undefined;
      }
      if (!(await api.serviceLoadBalancerIps(NAMESPACE, MANAGER_SERVICE))?.includes(ip)) return undefined;
      ctx.shared.set(MANAGER_URL, url);
      return `every pod Ready, Gateway Manager at ${url}`;
    },
    async run(ctx) {
      const api = await ctx.cluster();
      for (const release of [STORAGE_RELEASE, MANAGER_RELEASE]) {
        await ctx.waitFor<PodInfo[]>(
          `the pods of ${release} to be Ready`,
          (onValue, onError) => api.watchPodsOfRelease(NAMESPACE, release, onValue, onError),
          podsReady,
          o.timeouts.wait,
        );
        ctx.log(`${release}: every pod Ready`);
      }
      await ctx.waitFor<string[] | undefined>(
        `the ${MANAGER_SERVICE} Service to get ${ip}`,
        (onValue, onError) => api.watchService(NAMESPACE, MANAGER_SERVICE, onValue, onError),
        (ips) => Boolean(ips?.includes(ip)),
        o.timeouts.wait,
      );
      ctx.shared.set(MANAGER_URL, url);
      return `Gateway Manager at ${url}`;
    },
    preview: () => [],
  };
}

export function deployPlan(model: ClusterModel, options: DeployOptions): Plan {
  assertUsable(model, 'deploy');
  const steps: Step[] = [
    kubeconfigStep(model),
    addonStep(model, options, 'dns'),
    addonStep(model, options, 'metallb'),
  ];
  const proxy = model.network.proxy;
  if (proxy && proxyAssignments(proxy).length) steps.push(proxyStep(model, options, proxy));
  steps.push(
    chartStep(model, options, STORAGE_RELEASE),
    chartStep(model, options, MANAGER_RELEASE),
    waitStep(model, options),
  );
  return { operation: 'deploy', cluster: model.name, model, steps };
}
