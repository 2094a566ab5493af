// validate-cluster (seed 001's FAQ "How do I validate the multi-node cluster gateway setup?"): read-only
// checks of a built cluster, one step each, every one run even when an earlier one fails; a failing check says
// what is wrong and what to do. Every node Ready and reachable by hostname from the others, the gateway
// releases deployed at the spec's version with their pods Ready, the storage claim bound, the Gateway Manager
// answering at the floating IP on its port, the registration connected.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import {
  MANAGER_RELEASE,
  MANAGER_SERVICE,
  NAMESPACE,
  REGISTRATION_STATUS,
  STORAGE_RELEASE,
  cmd,
  isHighlyAvailable,
  parseGetent,
  parseHelmList,
  parseUnreachable,
  pingAllScript,
} from '../node-commands';
import { StepFailure } from '../errors';
import type { Plan, Step, StepContext } from '../plan';
import { kubeconfigStep } from './kubeconfig';
import { assertUsable } from './validate';

const GATEWAY_RELEASES = [STORAGE_RELEASE, MANAGER_RELEASE];

/** A check: read-only, and the checks after it run whatever it finds. */
function check(step: Omit<Step, 'readOnly' | 'continueOnFailure' | 'preview'> & Partial<Step>): Step {
  return { readOnly: true, continueOnFailure: true, preview: () => [], ...step };
}

const fail = (message: string, hint: string, node?: string): never => {
  throw new StepFailure(message, hint, node ? { node } : {});
};

const list = (names: readonly string[]) => names.join(', ');

function nodesReady(model: ClusterModel): Step {
  const node1 = model.nodes[0]!;
  return check({
    id: 'nodes',
    title: 'Every node is Ready',
    proofText: `the API lists every spec node Ready${model.topology === 'ha' ? '; `microk8s status` says high-availability: yes' : ''}`,
    async run(ctx) {
      const live = await (await ctx.cluster()).listNodes(ctx.signal);
      const missing = model.nodes
        .filter((n) => !live.some((k) => k.name === n.hostname))
        .map((n) => n.hostname);
      const down = live.filter((k) => !k.ready && model.nodes.some((n) => n.hostname === k.name));
      if (missing.length)
        fail(
          `${list(missing)} ${missing.length === 1 ? 'is' : 'are'} not in the cluster.`,
          'Join the missing nodes (Join Nodes, or Add Nodes on a built cluster).',
        );
      if (down.length)
        fail(
          `${list(down.map((k) => k.name))} ${down.length === 1 ? 'is' : 'are'} NotReady.`,
          `Start MicroK8s there (microk8s start) or power the VM on; Diagnostics collects what each node logged.`,
        );
      let ha = '';
      if (model.topology === 'ha') {
        const status = await ctx.exec(node1, cmd.microk8sStatus(), { quiet: true });
        if (!isHighlyAvailable(status.stdout))
          fail(
            'MicroK8s does not report high availability (fewer than 3 datastore voters).',
            'Make sure 3 control-plane nodes are joined and Ready (Add Nodes), then check again.',
            node1.hostname,
          );
        ha = ' · high availability';
      }
      return `${model.nodes.length}/${model.nodes.length} Ready${ha}`;
    },
  });
}

function reachable(model: ClusterModel): Step {
  const others = (node: NodeModel) => model.nodes.filter((n) => n !== node);
  return check({
    id: 'reach',
    title: 'Every node reaches the others by hostname',
    nodes: model.nodes,
    parallel: true,
    proofText: '`getent hosts` gives each other node its spec address and `ping -c 1 -W 2 HOSTNAME` answers',
    async run(ctx, node) {
      const n = node!;
      const peers = others(n);
      const [resolved, pings] = await Promise.all([
        ctx.exec(n, cmd.resolve(peers.map((p) => p.hostname)), { okCodes: 'any', quiet: true }),
        ctx.exec(n, pingAllScript(peers.map((p) => p.hostname)), { okCodes: 'any', quiet: true }),
      ]);
      const names = parseGetent(resolved.stdout);
      const wrong = peers.filter((p) => !(names.get(p.hostname) ?? []).includes(p.address));
      if (wrong.length)
        fail(
          `${n.hostname} does not resolve ${list(wrong.map((p) => `${p.hostname} to ${p.address}`))}.`,
          `Add the missing lines to /etc/hosts on ${n.hostname} (Preflight offers the fix).`,
          n.hostname,
        );
      const unreachable = [...parseUnreachable(pings.stdout)];
      if (unreachable.length)
        fail(
          `${n.hostname} cannot ping ${list(unreachable)}.`,
          `Check that ${list(unreachable)} ${unreachable.length === 1 ? 'is' : 'are'} up and that the network between the nodes lets ICMP through.`,
          n.hostname,
        );
      return `reaches ${list(peers.map((p) => p.hostname))}`;
    },
    preview: (p, node) => [
      { node: node!.hostname, command: p.show(cmd.resolve(others(node!).map((o) => o.hostname))) },
      { node: node!.hostname, command: p.show(pingAllScript(others(node!).map((o) => o.hostname))) },
    ],
  });
}

function releases(model: ClusterModel): Step {
  const node1 = model.nodes[0]!;
  return check({
    id: 'releases',
    title: `The gateway releases are deployed at ${model.charts.version}`,
    proofText: `\`helm list\` shows ${list(GATEWAY_RELEASES)} deployed from version ${model.charts.version}`,
    async run(ctx) {
      const r = await ctx.exec(node1, cmd.helmList(), { okCodes: 'any', quiet: true });
      const found = parseHelmList(r.stdout);
      const wrong = GATEWAY_RELEASES.flatMap((name) => {
        const release = found.find((x) => x.name === name);
        if (!release) return [`${name} is not installed`];
        if (release.status !== 'deployed') return [`${name} is ${release.status}`];
        const expected = `${name}-${model.charts.version}`;
        return release.chart === expected
          ? []
          : [`${name} runs ${release.chart}, the spec asks for ${expected}`];
      });
      if (wrong.length)
        fail(
          `${wrong.join('; ')}.`,
          "Run Deploy: it installs or upgrades the releases to the spec's version.",
        );
      return `${list(GATEWAY_RELEASES)} ${model.charts.version} deployed`;
    },
    preview: (p) => [{ node: node1.hostname, command: p.show(cmd.helmList()) }],
  });
}

function podsReady(): Step {
  return check({
    id: 'pods',
    title: 'The gateway pods are Ready',
    proofText: `every pod of ${list(GATEWAY_RELEASES)} is Ready`,
    async run(ctx) {
      const api = await ctx.cluster();
      const pods = (await Promise.all(GATEWAY_RELEASES.map((r) => api.podsOfRelease(NAMESPACE, r)))).flat();
      const live = pods.filter((p) => p.phase !== 'Succeeded' && !p.terminating);
      if (live.length === 0) fail('No pod of the gateway releases runs.', 'Run Deploy, then check again.');
      const waiting = live.filter((p) => !p.ready);
      if (waiting.length)
        fail(
          `${list(waiting.map((p) => `${p.name} (${p.phase}${p.nodeName ? ` on ${p.nodeName}` : ''})`))} ${waiting.length === 1 ? 'is' : 'are'} not Ready.`,
          "Read the pods' logs and events (Show Logs in the Clusters view; Diagnostics collects both).",
        );
      return `${live.length} pods Ready`;
    },
  });
}

function storageClaim(): Step {
  return check({
    id: 'storage',
    title: 'The storage claim is bound',
    proofText: `every PersistentVolumeClaim of ${list(GATEWAY_RELEASES)} in ${NAMESPACE} is Bound`,
    async run(ctx) {
      const claims = await (await ctx.cluster()).listClaims(NAMESPACE);
      if (claims === undefined)
        fail(
          'The Kubernetes API serves no PersistentVolumeClaims.',
          'Check the cluster with microk8s kubectl get pvc on a node.',
        );
      const own = claims!.filter((c) => c.release && GATEWAY_RELEASES.includes(c.release));
      if (own.length === 0)
        fail(
          'The gateway releases have no storage claim.',
          'Run Deploy (the Gateway Manager chart creates its claim), then check again.',
        );
      const unbound = own.filter((c) => c.phase !== 'Bound');
      if (unbound.length)
        fail(
          `${list(unbound.map((c) => `${c.name} is ${c.phase}`))}.`,
          `Check the storage chart (${STORAGE_RELEASE}) and the NFS export it mounts (storage.nfs in the spec); microk8s kubectl describe pvc tells why.`,
        );
      return `${list(own.map((c) => c.name))} Bound${own[0]?.storageClass ? ` (${own[0].storageClass})` : ''}`;
    },
  });
}

function managerAnswers(model: ClusterModel): Step {
  const ip = model.network.floatingIp;
  const url = `https://${ip}:${model.gatewayManager.port}`;
  return check({
    id: 'manager',
    title: `The Gateway Manager answers at ${url}`,
    proofText: `the ${MANAGER_SERVICE} Service has ${ip} and an HTTPS GET of ${url} gets an answer`,
    async run(ctx) {
      const ips = await (await ctx.cluster()).serviceLoadBalancerIps(NAMESPACE, MANAGER_SERVICE);
      if (ips === undefined) fail(`There is no ${MANAGER_SERVICE} Service.`, 'Run Deploy, then check again.');
      if (!ips!.includes(ip))
        fail(
          `The ${MANAGER_SERVICE} Service has ${ips!.length ? ips!.join(', ') : 'no address'}, not the floating IP ${ip}.`,
          `Check metallb's range (network.metallbRange) and run Deploy: it sets the range and waits for ${ip}.`,
        );
      const answer = await answerOf(ctx, url);
      if (typeof answer === 'string')
        fail(
          `Nothing answers at ${url}: ${answer}.`,
          `Check that the gateway-manager pods are Ready and that metallb's speaker runs on the nodes (it announces ${ip}); then check again.`,
        );
      const { status, untrusted } = answer as { status: number; untrusted?: string };
      // The handshake is an answer; nothing is asked of a server this machine cannot verify.
      if (untrusted)
        return `answers at ${url}, but its certificate is not trusted here (${untrusted}): no request sent — trust its CA on this machine (NODE_EXTRA_CA_CERTS for the CLI) to check more`;
      return `HTTP ${status} from ${url}`;
    },
    preview: () => [
      { node: 'this machine', command: `GET ${url} (HTTPS, certificate verified; no credentials sent)` },
    ],
  });
}

async function answerOf(
  ctx: StepContext,
  url: string,
): Promise<{ status: number; untrusted?: string } | string> {
  try {
    const reply = await ctx.https().get(url, ctx.signal);
    return reply.untrusted || reply.status < 500 ? reply : `HTTP ${reply.status}`;
  } catch (error) {
    if (ctx.signal.aborted || error instanceof StepFailure) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

function registration(model: ClusterModel): Step {
  const profile = model.registration?.managementProfile;
  return check({
    id: 'registration',
    title: 'The cluster is registered and connected',
    proofText: `ConfigMap ${REGISTRATION_STATUS} says connected`,
    async run(ctx) {
      const status = await (await ctx.cluster()).readConfigMap(NAMESPACE, REGISTRATION_STATUS);
      const state = status?.data.state;
      if (state === 'connected') return `connected${profile ? ` (management profile "${profile}")` : ''}`;
      if (!state)
        fail(
          'The cluster is not registered.',
          'Register it with its activation token (Register Cluster; Setup › Management Profiles has the token).',
        );
      return fail(
        `The registration is ${state}${status?.data.message ? `: ${status.data.message}` : ''}.`,
        state === 'failed'
          ? 'Store a new activation token and register again (Register Cluster › Change, Resume).'
          : 'Wait for the Gateway Manager to connect, or check that the cluster reaches the management platform.',
      );
    },
  });
}

export function validateClusterPlan(model: ClusterModel): Plan {
  assertUsable(model, 'validate-cluster');
  return {
    operation: 'validate-cluster',
    cluster: model.name,
    model,
    steps: [
      kubeconfigStep(model),
      nodesReady(model),
      // A single node has no one to reach.
      ...(model.nodes.length > 1 ? [reachable(model)] : []),
      releases(model),
      podsReady(),
      storageClaim(),
      managerAnswers(model),
      registration(model),
    ],
  };
}
