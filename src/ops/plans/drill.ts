// The node-failure drill (seed 001's FAQ: power a node off, watch the applications restart elsewhere):
// `microk8s stop` on the node — the closest safe remote stand-in for powering it off —, then through the API:
// the node turning NotReady (time to detect), its gateway pods evicted and replaced on the other nodes until
// they are Ready (time to recover), then `microk8s start` and the node's return. MicroK8s is started again
// whatever happens (a cancel, a failed step, an SSH drop: retried until the node answers). The timeline, with
// what governs each delay, is reported live and kept in the transcript.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import { MANAGER_RELEASE, NAMESPACE, STORAGE_RELEASE, cmd, isRunning } from '../node-commands';
import { StepFailure } from '../errors';
import type { OperationArgs } from '../catalog';
import type { KubeNodeInfo, PodInfo } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import {
  DRILL_TIMELINE,
  entry,
  explainDrill,
  formatDuration,
  newTimeline,
  sinceStop,
  timelineLines,
  type DrillEntryKind,
  type DrillTimeline,
} from './drill-timeline';
import { INTERRUPTED } from '../runner/run-plan';
import { kubeconfigStep } from './kubeconfig';
import { isWorker, liveNodes, targetNode } from './membership';
import { assertUsable } from './validate';

export interface DrillOptions {
  timeouts: { command: number; long: number; wait: number };
}

const GATEWAY_PODS = `app.kubernetes.io/instance in (${STORAGE_RELEASE},${MANAGER_RELEASE})`;

function timelineOf(ctx: StepContext, node: NodeModel): DrillTimeline {
  let timeline = ctx.shared.get(DRILL_TIMELINE) as DrillTimeline | undefined;
  if (!timeline) ctx.shared.set(DRILL_TIMELINE, (timeline = newTimeline(node.hostname, Date.now())));
  return timeline;
}

function mark(
  ctx: StepContext,
  timeline: DrillTimeline,
  kind: DrillEntryKind,
  label: string,
  at = Date.now(),
) {
  if (kind !== 'replaced' && entry(timeline, kind)) return;
  timeline.entries.push({ kind, at, label });
  ctx.log(`timeline: ${label}`);
  ctx.report(DRILL_TIMELINE, timeline);
}

const moving = (p: PodInfo) => p.ownerKind !== 'StatefulSet' && p.ownerKind !== 'DaemonSet';

function checkStep(model: ClusterModel, node: NodeModel): Step {
  return {
    id: 'check',
    title: `Check that the cluster can lose ${node.hostname}`,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: `every other node is Ready and the datastore keeps a quorum without ${node.hostname}`,
    async run(ctx) {
      const live = await liveNodes(ctx);
      const me = live.find((k) => k.name === node.hostname);
      const refuse = (message: string, hint: string) => {
        throw new StepFailure(message, hint, { node: node.hostname });
      };
      if (!me) refuse(`${node.hostname} is not in the cluster.`, 'Join it first (Join nodes or add-node).');
      if (live.length < 2)
        refuse(
          'A single-node cluster has no other node to move its applications to.',
          'The drill needs an ha cluster (3 nodes): resize it with add-node.',
        );
      if (!me!.ready)
        refuse(
          `${node.hostname} is NotReady already.`,
          `Start it (microk8s start on ${node.hostname}), then drill.`,
        );
      const down = live.filter((k) => k !== me && !k.ready).map((k) => k.name);
      if (down.length)
        refuse(
          `${down.join(', ')} ${down.length === 1 ? 'is' : 'are'} NotReady: stopping ${node.hostname} as well could stop the cluster.`,
          `Bring ${down.join(', ')} back first.`,
        );
      const planes = live.filter(
        (k) =>
          !isWorker(
            k,
            model.nodes.find((n) => n.hostname === k.name),
          ),
      );
      if (!isWorker(me, node) && planes.length < 3)
        refuse(
          `With ${planes.length} control-plane node${planes.length === 1 ? '' : 's'} the datastore loses its quorum when ${node.hostname} stops.`,
          'Drill an ha cluster (3 control-plane nodes), or a worker node.',
        );
      const pods = await (await ctx.cluster()).podsOfRelease(NAMESPACE, MANAGER_RELEASE);
      const timeline = timelineOf(ctx, node);
      ctx.report(DRILL_TIMELINE, timeline);
      return pods.length
        ? `${live.length - 1} other nodes Ready; the Gateway Manager runs`
        : `${live.length - 1} other nodes Ready; the gateway charts are not deployed, so the drill times detection only`;
    },
    preview: () => [],
  };
}

function stopStep(node: NodeModel, o: DrillOptions): Step {
  return {
    id: 'stop',
    title: `Stop MicroK8s on ${node.hostname}`,
    nodes: [node],
    checkText: 'never: every run is a new drill',
    proofText: '`microk8s stop` succeeds: from now on the kubelet posts no heartbeat',
    async run(ctx) {
      const timeline = timelineOf(ctx, node);
      // The gateway pods on the node now: what has to come back elsewhere.
      const api = await ctx.cluster();
      const before = [
        ...(await api.podsOfRelease(NAMESPACE, STORAGE_RELEASE)),
        ...(await api.podsOfRelease(NAMESPACE, MANAGER_RELEASE)),
      ];
      const here = before.filter((p) => p.nodeName === node.hostname && !p.terminating);
      timeline.moved = here.filter(moving).map((p) => p.name);
      timeline.stateful = here.filter((p) => p.ownerKind === 'StatefulSet').map((p) => p.name);
      await ctx.exec(node, cmd.microk8sStop(), { timeoutMs: o.timeouts.long });
      mark(ctx, timeline, 'stop', `MicroK8s stopped on ${node.hostname}`);
      return `stopped; ${timeline.moved.length + timeline.stateful.length} gateway pods ran there`;
    },
    preview: (p) => [{ node: node.hostname, command: p.show(cmd.microk8sStop()) }],
  };
}

function detectStep(node: NodeModel, o: DrillOptions): Step {
  return {
    id: 'detect',
    title: `Watch ${node.hostname} turn NotReady`,
    proofText: "the node's Ready condition leaves True in the Kubernetes API (watched)",
    async run(ctx) {
      const timeline = timelineOf(ctx, node);
      const api = await ctx.cluster();
      const seen = await ctx.waitFor<KubeNodeInfo[]>(
        `${node.hostname} to turn NotReady`,
        (onValue, onError) => api.watchNodes(onValue, onError),
        (nodes) => nodes.some((k) => k.name === node.hostname && k.readyStatus !== 'True'),
        o.timeouts.wait,
      );
      const me = seen.find((k) => k.name === node.hostname)!;
      const taint = me.taints?.includes('node.kubernetes.io/unreachable:NoExecute')
        ? ', tainted unreachable'
        : '';
      mark(
        ctx,
        timeline,
        'notReady',
        `${node.hostname} ${me.readyStatus === 'Unknown' ? 'Unknown' : 'NotReady'}${taint}`,
      );
      return `NotReady ${formatDuration(sinceStop(timeline, 'notReady') ?? 0)} after the stop`;
    },
    preview: () => [],
  };
}

function recoverStep(node: NodeModel, o: DrillOptions): Step {
  return {
    id: 'recover',
    title: 'Watch the gateway pods come back on the other nodes',
    proofText: `every gateway pod of a Deployment runs Ready on another node than ${node.hostname}`,
    async run(ctx) {
      const timeline = timelineOf(ctx, node);
      if (timeline.moved.length === 0) {
        mark(
          ctx,
          timeline,
          'recovered',
          `no gateway Deployment pod ran on ${node.hostname}: nothing to move`,
        );
        return 'nothing to move';
      }
      const api = await ctx.cluster();
      const ready = new Set<string>();
      const baseline = new Set<string>();
      await ctx.waitFor<PodInfo[]>(
        'the gateway pods to be Ready on the other nodes',
        (onValue, onError) => api.watchPods(NAMESPACE, GATEWAY_PODS, onValue, onError),
        (pods) => {
          if (baseline.size === 0) for (const p of pods) baseline.add(p.name);
          if (pods.some((p) => p.nodeName === node.hostname && p.terminating))
            mark(ctx, timeline, 'evicted', `pods on ${node.hostname} evicted (Terminating)`);
          for (const p of pods) {
            if (baseline.has(p.name) || !p.ready || ready.has(p.name) || !moving(p)) continue;
            ready.add(p.name);
            mark(ctx, timeline, 'replaced', `${p.name} Ready on ${p.nodeName ?? '?'}`);
          }
          const movable = pods.filter(moving);
          return (
            movable.length > 0 &&
            movable.every((p) => p.terminating || (p.ready && p.nodeName !== node.hostname)) &&
            timeline.moved.every((name) => !movable.some((p) => p.name === name && !p.terminating))
          );
        },
        o.timeouts.wait,
      );
      mark(ctx, timeline, 'recovered', 'the Gateway Manager answers again (every replacement Ready)');
      if (timeline.stateful.length)
        mark(
          ctx,
          timeline,
          'waiting',
          `${timeline.stateful.join(', ')} wait${timeline.stateful.length === 1 ? 's' : ''} for ${node.hostname} (StatefulSet)`,
        );
      return `recovered ${formatDuration(sinceStop(timeline, 'recovered') ?? 0)} after the stop`;
    },
    preview: () => [],
  };
}

/** Starts MicroK8s again whatever happened, retrying while the node does not answer over SSH. */
function startStep(node: NodeModel, o: DrillOptions): Step {
  return {
    id: 'start',
    title: `Start MicroK8s on ${node.hostname} again`,
    nodes: [node],
    always: true,
    checkText: '`microk8s status` on the node says it is running',
    proofText: '`microk8s start` succeeds',
    async check(ctx) {
      try {
        const r = await ctx.exec(node, cmd.microk8sStatus(), { okCodes: 'any', quiet: true });
        return isRunning(r.stdout) ? 'MicroK8s runs' : undefined;
      } catch {
        return undefined;
      }
    },
    async run(ctx) {
      const deadline = Date.now() + o.timeouts.wait;
      for (let attempt = 1; ; attempt++) {
        try {
          await ctx.exec(node, cmd.microk8sStart(), { timeoutMs: o.timeouts.long });
          break;
        } catch (error) {
          const lost = error instanceof StepFailure && error.details.exitCode === undefined;
          if (!lost || Date.now() > deadline)
            throw new StepFailure(
              `MicroK8s could not be started again on ${node.hostname}: ${error instanceof Error ? error.message : String(error)}`,
              `Start it by hand as soon as the node answers: ssh to ${node.address} and run microk8s start.`,
              { node: node.hostname },
            );
          const wait = Math.min(30_000, 1_000 * 2 ** Math.min(attempt - 1, 5));
          ctx.log(
            `${node.hostname} does not answer over SSH; trying again in ${Math.round(wait / 1000)} s`,
            node,
          );
          await ctx.sleep(wait);
        }
      }
      mark(ctx, timelineOf(ctx, node), 'start', `MicroK8s started on ${node.hostname}`);
      return 'started';
    },
    preview: (p) => [{ node: node.hostname, command: p.show(cmd.microk8sStart()) }],
  };
}

function returnStep(node: NodeModel, o: DrillOptions): Step {
  return {
    id: 'return',
    title: `Watch ${node.hostname} return`,
    proofText: 'the node is Ready and every gateway pod runs Ready',
    async run(ctx) {
      const timeline = timelineOf(ctx, node);
      const api = await ctx.cluster();
      await ctx.waitFor<KubeNodeInfo[]>(
        `${node.hostname} to be Ready`,
        (onValue, onError) => api.watchNodes(onValue, onError),
        (nodes) => nodes.some((k) => k.name === node.hostname && k.ready),
        o.timeouts.wait,
      );
      mark(ctx, timeline, 'ready', `${node.hostname} Ready again`);
      await ctx.waitFor<PodInfo[]>(
        'every gateway pod to be Ready',
        (onValue, onError) => api.watchPods(NAMESPACE, GATEWAY_PODS, onValue, onError),
        (pods) => pods.every((p) => p.ready && !p.terminating),
        o.timeouts.wait,
      );
      if (timeline.stateful.length)
        mark(ctx, timeline, 'statefulBack', `${timeline.stateful.join(', ')} Ready again`);
      return `${node.hostname} back`;
    },
    preview: () => [],
  };
}

function reportStep(node: NodeModel): Step {
  return {
    id: 'report',
    title: 'Report the timeline',
    readOnly: true,
    always: true,
    checkText: 'never (it reports)',
    async run(ctx) {
      const timeline = timelineOf(ctx, node);
      timeline.explanation = explainDrill(timeline);
      const recovered = entry(timeline, 'recovered');
      const interrupted = ctx.shared.get(INTERRUPTED) as 'cancelled' | 'failed' | undefined;
      timeline.outcome =
        interrupted ?? (recovered ? (entry(timeline, 'ready') ? 'recovered' : 'partial') : 'failed');
      for (const line of [...timelineLines(timeline), ...timeline.explanation]) ctx.log(line);
      ctx.report(DRILL_TIMELINE, timeline);
      const detect = sinceStop(timeline, 'notReady');
      const back = sinceStop(timeline, 'recovered');
      return [
        detect === undefined ? 'not detected' : `NotReady after ${formatDuration(detect)}`,
        back === undefined ? 'not recovered' : `recovered after ${formatDuration(back)}`,
      ].join(', ');
    },
    preview: () => [],
  };
}

export function drillPlan(model: ClusterModel, args: OperationArgs, options: DrillOptions): Plan {
  assertUsable(model, 'drill');
  const node = targetNode(model, args, 'drill');
  return {
    operation: 'drill',
    cluster: model.name,
    node: node.hostname,
    model,
    steps: [
      kubeconfigStep(model),
      checkStep(model, node),
      stopStep(node, options),
      detectStep(node, options),
      recoverStep(node, options),
      startStep(node, options),
      returnStep(node, options),
      reportStep(node),
    ],
  };
}
