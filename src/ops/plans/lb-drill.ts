// The drill of a load-balanced cluster (`drill --node NAME`): the gateway service stopped on one backend, then
// through the runtime API (show stat, polled over SSH) how long HAProxy takes to mark it DOWN (against its
// inter × fall), whether connections through the load balancer keep succeeding meanwhile (a bounded TLS client
// on the load balancer host, through the first frontend), and its return to UP after the service starts again
// (against inter × rise). The service is started again whatever happens. The timeline is reported live.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import type { LoadBalancerModel } from '../../cluster-spec/load-balanced-types';
import type { OperationArgs } from '../catalog';
import { StepFailure } from '../errors';
import { isServing, type StatRow } from '../haproxy/runtime-api';
import { lbCmd } from '../lb-commands';
import type { NodeExecResult } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import { backendServers, describeServers, noAnswer } from './runtime-api';
import { assertLoadBalanced } from './validate-load-balanced';

/** The report key of the drill's timeline (events and the transcript's `reports`). */
export const LB_DRILL = 'lb-drill';

export type LbDrillEntryKind = 'stopped' | 'failing' | 'down' | 'started' | 'up';

export interface LbDrillReport {
  node: string;
  interMs: number;
  fall: number;
  rise: number;
  entries: Array<{ kind: LbDrillEntryKind; at: number; label: string }>;
  /** The client through the load balancer: connections that succeeded and failed, and when each failure was. */
  client?: { ok: number; failed: number; failedAt: number[] };
}

export interface LbDrillOptions {
  timeouts: { command: number; long: number };
  /** Between two show stat polls (default 100 ms). */
  pollMs?: number;
}

const CLIENT = 'lb-drill.client';

function reportOf(ctx: StepContext, node: NodeModel, lb: LoadBalancerModel): LbDrillReport {
  let report = ctx.shared.get(LB_DRILL) as LbDrillReport | undefined;
  if (!report) {
    const { interMs, fall, rise } = lb.healthCheck;
    ctx.shared.set(LB_DRILL, (report = { node: node.hostname, interMs, fall, rise, entries: [] }));
  }
  return report;
}

function mark(
  ctx: StepContext,
  report: LbDrillReport,
  kind: LbDrillEntryKind,
  label: string,
  at = Date.now(),
) {
  if (report.entries.some((e) => e.kind === kind)) return;
  report.entries.push({ kind, at, label });
  ctx.log(`timeline: ${label}`);
  ctx.report(LB_DRILL, report);
}

const since = (report: LbDrillReport, kind: LbDrillEntryKind, at: number): number =>
  at - (report.entries.find((e) => e.kind === kind)?.at ?? at);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Polls the node's row until `done` says so, marking the first row `first` matches; undefined on timeout. */
async function watch(
  ctx: StepContext,
  lb: LoadBalancerModel,
  node: NodeModel,
  done: (row: StatRow) => boolean,
  timeoutMs: number,
  pollMs: number,
  first?: { match: (row: StatRow) => boolean; seen: (row: StatRow, at: number) => void },
): Promise<{ row: StatRow; at: number } | undefined> {
  const deadline = Date.now() + timeoutMs;
  let firstSeen = false;
  for (;;) {
    const rows = await backendServers(ctx, lb);
    const at = Date.now();
    const row = rows?.find((r) => r.name === node.hostname);
    if (row && first && !firstSeen && first.match(row)) {
      firstSeen = true;
      first.seen(row, at);
    }
    if (row && done(row)) return { row, at };
    if (at >= deadline) return undefined;
    await ctx.sleep(pollMs);
  }
}

export function lbDrillPlan(model: ClusterModel, args: OperationArgs, options: LbDrillOptions): Plan {
  assertLoadBalanced(model, 'drill');
  const lb = model.loadBalancer!;
  const node = model.nodes.find((n) => n.hostname === args.node);
  if (!node)
    throw new StepFailure(
      `drill needs one of the spec's gateways (--node): ${model.nodes.map((n) => n.hostname).join(', ')}.`,
      'Name the gateway to drill.',
    );
  const { interMs, fall, rise } = lb.healthCheck;
  const pollMs = options.pollMs ?? 100;
  const frontend = lb.frontends[0]!;
  const clientSeconds = Math.max(8, Math.ceil((interMs * (fall + rise + 2)) / 1000) + 4);

  const check: Step = {
    id: 'check',
    title: `Check that the load balancer can lose ${node.hostname}`,
    nodes: [lb],
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: `${node.hostname} serves, and at least one other gateway serves too`,
    async run(ctx) {
      const rows = await backendServers(ctx, lb);
      if (!rows) throw noAnswer(lb);
      const me = rows.find((r) => r.name === node.hostname);
      if (!me || !isServing(me))
        throw new StepFailure(
          `${node.hostname} does not serve now (${me ? describeServers([me]) : 'not in the backend'}).`,
          'Install and configure it first (install, configure-lb), then drill.',
          { node: lb.hostname },
        );
      const others = rows.filter((r) => r !== me && isServing(r));
      if (others.length === 0)
        throw new StepFailure(
          `${node.hostname} is the only gateway that serves (${describeServers(rows)}): stopping it would stop the service.`,
          'Bring another gateway up first, then drill.',
          { node: lb.hostname },
        );
      return `${node.hostname} and ${others.map((r) => r.name).join(', ')} serve`;
    },
    preview: () => [{ node: lb.hostname, command: 'show stat (runtime API)', sudo: true }],
  };

  const stop: Step = {
    id: 'stop',
    title: `Stop the gateway on ${node.hostname} and time HAProxy marking it DOWN`,
    nodes: [node],
    checkText: 'never (the drill always runs)',
    proofText: `show stat says DOWN; expected within inter × fall = ${seconds(interMs * fall)} (plus one check)`,
    async run(ctx) {
      const report = reportOf(ctx, node, lb);
      const client: Promise<NodeExecResult> = ctx.exec(
        lb,
        lbCmd.clientLoop(frontend.bind ?? '127.0.0.1', frontend.port, clientSeconds),
        { quiet: true, okCodes: 'any', timeoutMs: (clientSeconds + 30) * 1000 },
      );
      client.catch(() => undefined);
      ctx.shared.set(CLIENT, client);
      await ctx.exec(node, lbCmd.serviceStop('gateway'), { sudo: true });
      mark(ctx, report, 'stopped', `${node.hostname}: gateway stopped`);
      const down = await watch(
        ctx,
        lb,
        node,
        (r) => r.status.startsWith('DOWN'),
        interMs * fall + 15_000,
        pollMs,
        {
          match: (r) => !isServing(r),
          seen: (r, at) =>
            mark(
              ctx,
              report,
              'failing',
              `first failed check (${r.checkStatus ?? '?'}) after ${seconds(since(report, 'stopped', at))}`,
              at,
            ),
        },
      );
      if (!down)
        throw new StepFailure(
          `HAProxy did not mark ${node.hostname} DOWN within ${seconds(interMs * fall + 15_000)}.`,
          "Check the backend's health check (healthCheck in cluster.yaml) and haproxy's log on the load balancer.",
          { node: lb.hostname },
        );
      const took = since(report, 'stopped', down.at);
      mark(
        ctx,
        report,
        'down',
        `DOWN after ${seconds(took)} (${down.row.checkStatus ?? ''}; inter × fall = ${seconds(interMs * fall)})`,
        down.at,
      );
      return `DOWN after ${seconds(took)}; inter × fall = ${seconds(interMs * fall)}`;
    },
    preview: (p) => [
      {
        node: lb.hostname,
        command: p.show(lbCmd.clientLoop(frontend.bind ?? '127.0.0.1', frontend.port, clientSeconds)),
        when: 'in the background, for the whole drill',
      },
      { node: node.hostname, command: p.show(lbCmd.serviceStop('gateway')), sudo: true },
      {
        node: lb.hostname,
        command: `show stat every ${pollMs} ms until ${node.hostname} is DOWN`,
        sudo: true,
      },
    ],
  };

  const start: Step = {
    id: 'start',
    title: `Start the gateway on ${node.hostname} again and time its return to UP`,
    nodes: [node],
    always: true,
    checkText: 'never (runs whatever happened before)',
    proofText: `show stat says UP; expected within inter × rise = ${seconds(interMs * rise)} (plus one check)`,
    async run(ctx) {
      const report = reportOf(ctx, node, lb);
      await ctx.exec(node, lbCmd.serviceStart('gateway'), { sudo: true });
      if (!report.entries.some((e) => e.kind === 'stopped'))
        return 'the drill stopped nothing; the gateway runs';
      mark(ctx, report, 'started', `${node.hostname}: gateway started`);
      const up = await watch(ctx, lb, node, isServing, interMs * (rise + 1) + 15_000, pollMs);
      if (!up)
        throw new StepFailure(
          `${node.hostname} did not come back UP within ${seconds(interMs * (rise + 1) + 15_000)}.`,
          `Look at the gateway on ${node.hostname} (systemctl status mgmt_gateway).`,
          { node: node.hostname },
        );
      const took = since(report, 'started', up.at);
      mark(ctx, report, 'up', `UP after ${seconds(took)} (inter × rise = ${seconds(interMs * rise)})`, up.at);
      return `UP after ${seconds(took)}; inter × rise = ${seconds(interMs * rise)}`;
    },
    preview: (p) => [
      { node: node.hostname, command: p.show(lbCmd.serviceStart('gateway')), sudo: true },
      { node: lb.hostname, command: `show stat every ${pollMs} ms until ${node.hostname} is UP`, sudo: true },
    ],
  };

  const client: Step = {
    id: 'client',
    title: `Count the connections through the load balancer (port ${frontend.port})`,
    nodes: [lb],
    always: true,
    readOnly: true,
    checkText: 'never (runs whatever happened before)',
    proofText: 'every TLS connection through the frontend during the drill succeeded',
    async run(ctx) {
      const pending = ctx.shared.get(CLIENT) as Promise<NodeExecResult> | undefined;
      if (!pending) return 'no client ran (the drill stopped before it started)';
      const result = await pending;
      const lines = result.stdout.split('\n').filter((line) => /^\d+ (ok|fail)$/.test(line));
      const failedAt = lines.filter((l) => l.endsWith(' fail')).map((l) => Number(l.split(' ')[0]));
      const report = reportOf(ctx, node, lb);
      report.client = { ok: lines.length - failedAt.length, failed: failedAt.length, failedAt };
      ctx.report(LB_DRILL, report);
      const summary = `${report.client.ok} of ${lines.length} connections succeeded`;
      if (lines.length === 0)
        throw new StepFailure(
          'The client made no connection through the load balancer.',
          `Check openssl on ${lb.hostname}.`,
          {
            node: lb.hostname,
          },
        );
      if (failedAt.length > 0)
        throw new StepFailure(
          `${failedAt.length} of ${lines.length} connections through the load balancer failed during the drill.`,
          "The other gateways did not take over at once: check the backend's options (retries, redispatch) and the other gateways' states.",
          { node: lb.hostname },
        );
      return summary;
    },
    preview: () => [{ node: lb.hostname, command: "(reads the background client's lines)" }],
  };

  return {
    operation: 'drill',
    cluster: model.name,
    node: node.hostname,
    model,
    steps: [check, stop, start, client],
  };
}
