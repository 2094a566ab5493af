// Preflight: read-only checks on all nodes at once (design: operations.md, "Preflight"); its fixes are in
// fixes.ts.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import {
  cmd,
  isRunning,
  parseDfKiB,
  parseGetent,
  parseIpv4,
  parseMemTotalKiB,
  parsePreflightFacts,
  parseUnreachable,
  pingAllScript,
  preflightFactsScript,
} from '../node-commands';
import { StepFailure } from '../errors';
import type { NodeCommand } from '../ports';
import type { Plan, Step, StepContext } from '../plan';
import type { Fix, PreflightFinding, PreflightNodeReport, PreflightReport } from './preflight-report';
import { assertUsable } from './validate';

export const PREFLIGHT_REPORT = 'preflight';
const MIN_CPUS = 4;
const MIN_MEMORY_GIB = 8;
const MIN_DISK_GIB = 40;
/** MemTotal excludes memory the kernel reserves, so an 8 GiB VM reports a little less. */
const MEMORY_TOLERANCE = 0.95;

export interface PreflightStepOptions {
  /**
   * Findings a later step of the same plan repairs (join: its /etc/hosts and rename steps), by fix kind, with
   * the step's name: they are not blockers, and their hint says which step fixes them.
   */
  repairs?: Partial<Record<Fix['kind'], string>>;
  /**
   * Where the repairs are: `plan` (a later step of this plan: the finding is information, its fix button
   * pointless) or `join` (Join nodes repairs it when it runs: a warning that keeps its Fix it for now).
   */
  repairedIn?: 'plan' | 'join';
}

/** What Join nodes repairs, by fix kind, named by its step: the join plan and the standalone preflight say it. */
export const JOIN_REPAIRS: Record<Fix['kind'], string> = {
  appendHosts: 'step 2, “Add the nodes to /etc/hosts”',
  setHostname: 'step 3, “Rename nodes to their spec hostnames”',
};

/** The per-node facts and findings; cross-node findings are added by the step after all nodes answered. */
async function checkNode(
  ctx: StepContext,
  node: NodeModel,
): Promise<{ report: PreflightNodeReport; findings: PreflightFinding[] }> {
  const started = performance.now();
  const findings: PreflightFinding[] = [];
  const add = (f: Omit<PreflightFinding, 'node'>) => findings.push({ node: node.hostname, ...f });
  const report: PreflightNodeReport = {
    node: node.hostname,
    address: node.address,
    reachable: false,
    unresolved: [],
    durationMs: 0,
  };
  const others = ctx.model.nodes.filter((n) => n.hostname !== node.hostname);
  // The batched checks' output is for this step to read (it reports findings); the transcript keeps it.
  const run = (command: NodeCommand) => ctx.exec(node, command, { okCodes: 'any', quiet: true });
  // Three commands per node whatever the cluster's size: the facts (one shell), `microk8s status` (the
  // slowest, so at the same time) and, once names are resolved, every ping at once.
  const [factsRun, statusRun] = await Promise.allSettled([
    run(preflightFactsScript(others.map((n) => n.hostname))),
    run(cmd.microk8sStatus()),
  ]);
  if (factsRun.status === 'rejected') {
    if (ctx.signal.aborted) throw factsRun.reason;
    const reason = factsRun.reason instanceof Error ? factsRun.reason.message : String(factsRun.reason);
    // A host key not trusted (or changed) or a login refused: the node answered, and the hint says what to do.
    const answered =
      factsRun.reason instanceof StepFailure &&
      ['hostKeyRefused', 'hostKeyChanged', 'auth'].includes(factsRun.reason.details.cause ?? '');
    add({
      check: 'reachable',
      severity: 'error',
      message: `${node.hostname} (${node.address}) cannot be reached over SSH: ${reason}`,
      hint: answered
        ? (factsRun.reason as StepFailure).hint
        : `Check that the VM runs, that ${node.address} is its address and that SSH accepts the spec's user and key.`,
    });
    report.durationMs = performance.now() - started;
    return { report, findings };
  }
  report.reachable = true;
  const facts = parsePreflightFacts(factsRun.value.stdout);
  const fact = (name: string) => facts.get(name) ?? { code: -1, output: '' };

  report.hostname = fact('hostname').output.trim();
  if (report.hostname !== node.hostname) {
    add({
      check: 'hostname',
      severity: 'error',
      message: `${node.address} is named "${report.hostname}", the spec says "${node.hostname}".`,
      hint: `Rename it to ${node.hostname} ("Join nodes" does this, with the MicroK8s restart it needs).`,
      fix: { kind: 'setHostname', node: node.hostname, hostname: node.hostname },
    });
  }

  const addresses = parseIpv4(fact('ipv4').output);
  if (!addresses.includes(node.address)) {
    add({
      check: 'address',
      severity: 'error',
      message: `${node.hostname} does not carry its spec address ${node.address} (it has ${addresses.join(', ') || 'none'}).`,
      hint: `Give the node's primary interface the static address ${node.address}, or correct the spec.`,
    });
  }

  const cpuCount = Number(fact('cpus').output.trim());
  const memKiB = parseMemTotalKiB(fact('memory').output);
  const diskKiB = parseDfKiB(fact('disk').output);
  const small: string[] = [];
  if (fact('cpus').code === 0 && Number.isFinite(cpuCount) && cpuCount < MIN_CPUS)
    small.push(`${cpuCount} CPUs (minimum ${MIN_CPUS})`);
  if (memKiB !== undefined && memKiB < MIN_MEMORY_GIB * 1024 * 1024 * MEMORY_TOLERANCE) {
    small.push(`${(memKiB / 1024 / 1024).toFixed(1)} GiB memory (minimum ${MIN_MEMORY_GIB})`);
  }
  if (diskKiB !== undefined && diskKiB < MIN_DISK_GIB * 1024 * 1024 * MEMORY_TOLERANCE) {
    small.push(`${(diskKiB / 1024 / 1024).toFixed(1)} GiB root disk (minimum ${MIN_DISK_GIB})`);
  }
  if (small.length) {
    add({
      check: 'size',
      severity: 'warning',
      message: `${node.hostname} is below the documented size: ${small.join(', ')}.`,
      hint: 'Give the VM at least 4 CPUs, 8 GiB memory and a 40 GiB disk.',
    });
  }

  const status = statusRun.status === 'fulfilled' ? statusRun.value : undefined;
  if (statusRun.status === 'rejected' && ctx.signal.aborted) throw statusRun.reason;
  if (!status || status.code !== 0 || !isRunning(status.stdout)) {
    add({
      check: 'microk8s',
      severity: 'error',
      message:
        statusRun.status === 'rejected'
          ? `Could not run "microk8s status" on ${node.hostname}: ${statusRun.reason instanceof Error ? statusRun.reason.message : String(statusRun.reason)}`
          : `MicroK8s is not running on ${node.hostname}.`,
      hint: `Start it on ${node.hostname} with "microk8s start", then run preflight again.`,
    });
  }

  const time = fact('timeSync');
  if (time.output.trim() !== 'yes') {
    add({
      check: 'timeSync',
      severity: 'warning',
      message:
        time.code === 0
          ? `The clock of ${node.hostname} is not synchronised (NTP).`
          : `Could not tell whether the clock of ${node.hostname} is synchronised.`,
      hint: 'Configure NTP on the node: certificates and the datastore need agreeing clocks.',
    });
  }

  report.sudoWithoutPassword = fact('sudo').code === 0;
  if (!report.sudoWithoutPassword) {
    add({
      check: 'root',
      severity: 'warning',
      message: `sudo on ${node.hostname} needs a password.`,
      hint: 'Enter the sudo password when asked; it is kept in the secret storage and sent over stdin.',
      needsInput: 'sudoPassword',
    });
  }

  if (others.length) {
    const resolved = parseGetent(fact('resolve').output);
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const other of others) {
      const got = resolved.get(other.hostname);
      if (!got) missing.push(other.hostname);
      else if (!got.includes(other.address)) wrong.push(`${other.hostname} → ${got.join(', ')}`);
      if (!got || !got.includes(other.address)) report.unresolved.push(other.hostname);
    }
    if (report.unresolved.length) {
      const lines = others
        .filter((o) => report.unresolved.includes(o.hostname))
        .map((o) => `${o.address} ${o.hostname}`);
      add({
        check: 'nameResolution',
        severity: 'error',
        message:
          `${node.hostname} does not resolve ${[...missing, ...wrong].join(', ')}` +
          (wrong.length ? ' (wrong address)' : '') +
          '.',
        hint: `Add ${report.unresolved.join(', ')} to /etc/hosts on ${node.hostname}.`,
        fix: { kind: 'appendHosts', node: node.hostname, lines },
      });
    }
    // By name where the name resolves right; by address otherwise (the name finding is already there).
    const targetOf = (other: NodeModel) =>
      report.unresolved.includes(other.hostname) ? other.address : other.hostname;
    const pings = await run(pingAllScript(others.map(targetOf)));
    const unreachable = parseUnreachable(pings.stdout);
    for (const other of others) {
      const target = targetOf(other);
      if (pings.code !== 0 || unreachable.has(target)) {
        add({
          check: 'reachability',
          severity: 'error',
          message: `${node.hostname} cannot ping ${other.hostname} (${target}).`,
          hint: `Check the network between ${node.hostname} and ${other.hostname} (same subnet, no firewall dropping ICMP).`,
        });
      }
    }
  }
  report.durationMs = performance.now() - started;
  return { report, findings };
}

/** Findings that need every node's answer. */
function crossNodeFindings(model: ClusterModel, reports: PreflightNodeReport[]): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const byHostname = new Map<string, string[]>();
  for (const r of reports) {
    if (r.hostname) byHostname.set(r.hostname, [...(byHostname.get(r.hostname) ?? []), r.node]);
  }
  for (const [hostname, nodes] of byHostname) {
    if (nodes.length < 2) continue;
    // Identical OVA hostnames are normal before the rename; they are only an error if one of them stays.
    const staying = nodes.filter((n) => n === hostname);
    findings.push({
      node: nodes[nodes.length - 1]!,
      check: 'uniqueHostnames',
      severity: staying.length ? 'error' : 'info',
      message: `${nodes.join(', ')} all answer "${hostname}".`,
      hint: staying.length
        ? `Give each node its own hostname (the spec's ${nodes.join(', ')}).`
        : 'The rename to the spec hostnames makes them unique.',
    });
  }
  void model;
  return findings;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function summarize(report: PreflightReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  return `${report.nodes.length} nodes checked: ${errors} errors, ${warnings} warnings`;
}

function isBlocking(f: PreflightFinding, options: PreflightStepOptions): boolean {
  return f.severity === 'error' && !(f.fix && options.repairs?.[f.fix.kind]);
}

/**
 * A finding that Join repairs says so: within Join it is information ("Fixed by step N", no button); in a
 * preflight of its own, a warning (Join does it, or Fix it now): fresh VMs from the OVA are not a failure.
 */
function noteRepair(f: PreflightFinding, options: PreflightStepOptions): PreflightFinding {
  const step = f.fix && options.repairs?.[f.fix.kind];
  if (!step || f.severity !== 'error') return f;
  if (options.repairedIn === 'join')
    return {
      ...f,
      severity: 'warning',
      hint: `Join nodes does this (${step}); or Fix it now.`,
      repairedBy: step,
    };
  return { ...f, severity: 'info', hint: `Fixed by ${step}.`, repairedBy: step, fix: undefined };
}

/**
 * /etc/hosts lines only for nodes that answered over SSH at their spec address: an address nobody answered
 * at is never written into another node's /etc/hosts.
 */
function onlyVerified(findings: PreflightFinding[], reports: PreflightNodeReport[]): PreflightFinding[] {
  const unverified = new Set(
    reports
      .filter((r) => !r.reachable || findings.some((f) => f.node === r.node && f.check === 'address'))
      .map((r) => r.node),
  );
  return findings.flatMap((f) => {
    if (f.fix?.kind !== 'appendHosts') return [f];
    const lines = f.fix.lines.filter((line) => !unverified.has(line.split(' ')[1] ?? ''));
    if (lines.length === f.fix.lines.length) return [f];
    const withheld = f.fix.lines.filter((line) => !lines.includes(line)).map((line) => line.split(' ')[1]);
    const hint =
      `${f.hint ?? ''} Not offered for ${withheld.join(', ')}: not reached over SSH at its spec address.`.trim();
    return [lines.length ? { ...f, hint, fix: { ...f.fix, lines } } : { ...f, hint, fix: undefined }];
  });
}

function failWith(blocking: PreflightFinding[]): never {
  const first = blocking[0]!;
  const nodes = new Set(blocking.map((f) => f.node));
  // One line per node and hint: "it" in a hint must be clear, so each names its node.
  const hints = [
    ...new Set(
      blocking
        .filter((f) => f.hint !== undefined)
        .map((f) => (nodes.size > 1 ? `${f.node}: ${f.hint}` : f.hint!)),
    ),
  ];
  throw new StepFailure(
    blocking.length === 1
      ? first.message
      : `${blocking.length} problems on ${nodes.size === 1 ? first.node : `${nodes.size} nodes`}, first: ${first.message}`,
    hints.join('\n') || 'Fix the findings above, then run again.',
    {
      ...(nodes.size === 1 ? { node: first.node } : {}),
      output: blocking.map((f) => `${f.node}: ${f.message}`).join('\n'),
    },
  );
}

type NodeResults = Map<string, { report: PreflightNodeReport; findings: PreflightFinding[] }>;

/** The preflight step: every node at once (one sub-row each), then the cross-node checks and the report. */
export function preflightStep(nodes: readonly NodeModel[], options: PreflightStepOptions = {}): Step {
  const key = 'preflight.nodes';
  const resultsOf = (ctx: StepContext): NodeResults => {
    let results = ctx.shared.get(key) as NodeResults | undefined;
    if (!results) ctx.shared.set(key, (results = new Map()));
    return results;
  };
  return {
    id: 'preflight',
    title: 'Preflight checks',
    nodes,
    parallel: true,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: 'no error findings on any node',
    async run(ctx, node) {
      const result = await checkNode(ctx, node!);
      resultsOf(ctx).set(node!.hostname, result);
      for (const f of result.findings.map((x) => noteRepair(x, options)))
        ctx.log(`${f.severity}: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`, node);
      const blocking = result.findings.filter((f) => isBlocking(f, options));
      if (blocking.length) failWith(blocking);
      const warnings = result.findings.filter((f) => f.severity !== 'info').length;
      return warnings ? `${warnings} findings` : 'all checks passed';
    },
    async finish(ctx) {
      const results = resultsOf(ctx);
      const ordered = ctx.model.nodes.map((n) => results.get(n.hostname)).filter((r) => r !== undefined);
      const nodes = ordered.map((r) => r.report);
      const cross = crossNodeFindings(ctx.model, nodes);
      for (const f of cross) ctx.log(`${f.severity}: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`);
      const findings = onlyVerified(
        [...ordered.flatMap((r) => r.findings), ...cross].map((f) => noteRepair(f, options)),
        nodes,
      );
      const blocking = findings.filter((f) => isBlocking(f, options));
      findings.sort(
        (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.node.localeCompare(b.node),
      );
      const report: PreflightReport = { nodes, findings, ok: blocking.length === 0 };
      ctx.shared.set(PREFLIGHT_REPORT, report);
      if (blocking.length) failWith(blocking);
      return summarize(report);
    },
    preview(p, node) {
      const others = p.model.nodes.filter((n) => n !== node);
      const commands = [preflightFactsScript(others.map((n) => n.hostname)), cmd.microk8sStatus()];
      const shown = commands.map((c) => ({ node: node!.hostname, command: p.show(c) }));
      if (others.length) {
        shown.push({
          node: node!.hostname,
          command: p.show(pingAllScript(others.map((n) => n.hostname))),
          when: 'by address for a name that does not resolve to its spec address',
        } as (typeof shown)[number]);
      }
      return shown;
    },
  };
}

export function preflightPlan(model: ClusterModel): Plan {
  assertUsable(model, 'preflight');
  return {
    operation: 'preflight',
    cluster: model.name,
    model,
    steps: [preflightStep(model.nodes, { repairs: JOIN_REPAIRS, repairedIn: 'join' })],
  };
}
