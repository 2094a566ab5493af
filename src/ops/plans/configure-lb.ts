// configure-lb (seed 003, step 2): haproxy.cfg generated from the spec (haproxy/config.ts), written beside the
// running one, checked by `haproxy -c` on the load balancer host (a rejected file is never installed), then
// installed with the previous file kept and haproxy reloaded in master-worker mode (new workers take the
// listening sockets; no connection is dropped). The runtime API must then show the new file's fingerprint and
// every gateway that served before still serving; otherwise the previous file goes back and haproxy reloads
// again, so a broken change never leaves the load balancer down.
import type { ClusterModel } from '../../cluster-spec/types';
import type { LoadBalancerModel } from '../../cluster-spec/load-balanced-types';
import { StepFailure } from '../errors';
import { haproxyConfig, type GeneratedConfig } from '../haproxy/config';
import { isServing, parseCheckOutput, type StatRow } from '../haproxy/runtime-api';
import { configFiles, lbCmd } from '../lb-commands';
import { parsePreflightFacts } from '../node-commands';
import type { Plan, Step, StepContext } from '../plan';
import { CancelledError } from '../runner/deps';
import { backendServers, describeServers, noAnswer, poll, runningDescription } from './runtime-api';
import { assertLoadBalanced } from './validate-load-balanced';

export interface ConfigureLbOptions {
  timeouts: { command: number; long: number };
  /** How long haproxy may take to run the new file after the reload (default 10 s). */
  loadTimeoutMs?: number;
  /** Beyond inter × (fall + rise), how long the gateways may take to serve under the new file (default 5 s). */
  settleMs?: number;
}

const RUNNING = 'configure-lb.running';
interface Running {
  /** The file on the host, or undefined when there is none. */
  text?: string;
  active: boolean;
}

const running = (ctx: StepContext): Running =>
  (ctx.shared.get(RUNNING) as Running | undefined) ?? { active: false };

function factsStep(lb: LoadBalancerModel, generated: GeneratedConfig): Step {
  return {
    id: 'lb-facts',
    title: `Look at the load balancer (${lb.hostname})`,
    nodes: [lb],
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: "haproxy and socat are installed; says whether the running file is the spec's",
    async run(ctx) {
      const facts = parsePreflightFacts(
        (await ctx.exec(lb, lbCmd.lbFacts(lb.configPath), { quiet: true })).stdout,
      );
      const version = facts.get('version')?.output.trim() ?? '';
      if (!/^HA-?Proxy version/i.test(version))
        throw new StepFailure(
          `haproxy is not installed on ${lb.hostname} (haproxy -v: ${version || 'no answer'}).`,
          `Install it there (Debian and Ubuntu: sudo apt install haproxy; RHEL: sudo dnf install haproxy), then resume.`,
          { node: lb.hostname },
        );
      if (facts.get('socat')?.code !== 0)
        throw new StepFailure(
          `socat is not installed on ${lb.hostname}; the runtime API is read with it.`,
          'Install it there (sudo apt install socat, or sudo dnf install socat), then resume.',
          { node: lb.hostname },
        );
      const config = facts.get('config');
      const state: Running = {
        active: facts.get('active')?.code === 0,
        ...(config?.code === 0 ? { text: `${config.output}\n` } : {}),
      };
      ctx.shared.set(RUNNING, state);
      const file =
        state.text === undefined
          ? `no ${lb.configPath}`
          : state.text === generated.text
            ? `${lb.configPath} is the spec's (${generated.fingerprint})`
            : `${lb.configPath} differs from the spec's`;
      return `${version.replace(/ - https?:.*$/, '')}; haproxy ${state.active ? 'runs' : 'does not run'}; ${file}`;
    },
    preview: (p) => [{ node: lb.hostname, command: p.show(lbCmd.lbFacts(lb.configPath)) }],
  };
}

function writeStep(lb: LoadBalancerModel, generated: GeneratedConfig): Step {
  const { next } = configFiles(lb.configPath);
  return {
    id: 'write',
    title: `Write the new haproxy.cfg beside the running one (${next})`,
    nodes: [lb],
    checkText: `${lb.configPath} is already the file generated from the spec`,
    proofText: 'the file is written',
    async check(ctx) {
      return running(ctx).text === generated.text
        ? `${lb.configPath} is the spec's (${generated.fingerprint})`
        : undefined;
    },
    async run(ctx) {
      await ctx.exec(lb, lbCmd.writeNextConfig(lb.configPath), {
        sudo: true,
        stdin: generated.text,
        stdinLabel: `(haproxy.cfg generated from the spec, ${generated.fingerprint}, ${generated.text.split('\n').length - 1} lines)`,
      });
      return `${next} (${generated.fingerprint})`;
    },
    preview: (p) => [
      {
        node: lb.hostname,
        command: p.show(lbCmd.writeNextConfig(lb.configPath)),
        sudo: true,
        stdin: generated.text,
      },
    ],
  };
}

function checkStep(lb: LoadBalancerModel, generated: GeneratedConfig): Step {
  const { next } = configFiles(lb.configPath);
  return {
    id: 'check',
    title: 'Check it with haproxy -c',
    nodes: [lb],
    checkText: `${lb.configPath} is already the file generated from the spec`,
    proofText:
      '`haproxy -c` exits 0 ("Configuration file is valid"); otherwise the new file is removed and nothing else changes',
    async check(ctx) {
      return running(ctx).text === generated.text
        ? "the running file is the spec's (checked when it was installed)"
        : undefined;
    },
    async run(ctx) {
      const result = await ctx.exec(lb, lbCmd.checkConfig(next), { sudo: true, okCodes: 'any' });
      if (result.code === 0) return 'Configuration file is valid';
      await ctx.exec(lb, lbCmd.removeNextConfig(lb.configPath), {
        sudo: true,
        cleanup: true,
        okCodes: 'any',
      });
      const problems = parseCheckOutput(`${result.stdout}\n${result.stderr}`);
      const lines = generated.text.split('\n');
      const first = problems[0];
      const where =
        first?.line !== undefined ? ` at line ${first.line} ("${(lines[first.line - 1] ?? '').trim()}")` : '';
      throw new StepFailure(
        `haproxy -c rejects the generated configuration${where}: ${first?.message ?? 'see the output above'}. The running configuration was not touched.`,
        /ca-file|CA file/i.test(first?.message ?? '')
          ? `Put the gateways' CA certificate at ${lb.healthCheck.caFile ?? '(healthCheck.caFile)'} on ${lb.hostname}, or correct healthCheck.caFile in cluster.yaml, then resume.`
          : 'Correct cluster.yaml where the line comes from, then run configure-lb again.',
        { node: lb.hostname, exitCode: result.code },
      );
    },
    preview: (p) => [{ node: lb.hostname, command: p.show(lbCmd.checkConfig(next)), sudo: true }],
  };
}

/** Waits for the new file to run and the gateways to serve; throws a reason otherwise. */
async function verify(
  ctx: StepContext,
  lb: LoadBalancerModel,
  generated: GeneratedConfig,
  before: readonly StatRow[],
  options: ConfigureLbOptions,
): Promise<StatRow[]> {
  const loaded = await poll(
    ctx,
    async () => ((await runningDescription(ctx, lb))?.endsWith(generated.fingerprint) ? true : undefined),
    options.loadTimeoutMs ?? 10_000,
  );
  if (!loaded) {
    const now = await runningDescription(ctx, lb);
    throw new Error(
      now === undefined
        ? 'haproxy stopped answering after the reload'
        : `haproxy did not load the new file (it runs "${now || 'a file without description'}")`,
    );
  }
  const servedBefore = new Set(before.filter(isServing).map((r) => r.name));
  const check = lb.healthCheck;
  // A gateway that serves is UP after its first check; one that does not goes DOWN after `fall` of them.
  const deadline = Date.now() + check.interMs * (check.fall + check.rise) + (options.settleMs ?? 5_000);
  let rows: StatRow[];
  for (;;) {
    rows = (await backendServers(ctx, lb)) ?? [];
    const checked = rows.filter((r) => r.checkStatus !== undefined && r.checkStatus !== 'INI');
    const lost = rows.filter((r) => servedBefore.has(r.name) && r.status.startsWith('DOWN'));
    if (lost.length)
      throw new Error(
        `${lost.map((r) => r.name).join(', ')} served before and ${lost.length === 1 ? 'is' : 'are'} DOWN now: ${describeServers(lost)}`,
      );
    if (checked.length === rows.length && rows.every(isServing)) return rows;
    if (Date.now() >= deadline) break;
    await ctx.sleep(200);
  }
  const lost = rows.filter((r) => servedBefore.has(r.name) && !isServing(r));
  if (lost.length) throw new Error(`${describeServers(lost)} served before the change and not after it`);
  if (!rows.some(isServing)) throw new Error(`no gateway serves with the new file: ${describeServers(rows)}`);
  return rows;
}

function applyStep(lb: LoadBalancerModel, generated: GeneratedConfig, options: ConfigureLbOptions): Step {
  const { previous } = configFiles(lb.configPath);
  return {
    id: 'apply',
    title: 'Install it (keeping the previous one) and reload haproxy without dropping connections',
    nodes: [lb],
    checkText: `the runtime API's show info describes the running configuration as ${generated.fingerprint}`,
    proofText: `show info shows ${generated.fingerprint} and every gateway that served before serves (show stat); else ${previous} goes back and haproxy reloads again`,
    async check(ctx) {
      if (running(ctx).text !== generated.text) return undefined;
      const description = await runningDescription(ctx, lb);
      return description?.endsWith(generated.fingerprint)
        ? `haproxy runs the spec's configuration (${generated.fingerprint})`
        : undefined;
    },
    async run(ctx) {
      const before = (await backendServers(ctx, lb)) ?? [];
      // What a roll back must see running again (the old workers may answer for a while after the reload).
      const describedBefore = await runningDescription(ctx, lb);
      const installed =
        (await ctx.exec(lb, lbCmd.installConfig(lb.configPath), { sudo: true })).stdout.trim() ===
        'installed';
      const hadPrevious = installed && running(ctx).text !== undefined;
      try {
        await ctx.exec(lb, lbCmd.reload(), { sudo: true, timeoutMs: options.timeouts.command });
        const rows = await verify(ctx, lb, generated, before, options);
        return `haproxy runs ${generated.fingerprint}: ${describeServers(rows)}`;
      } catch (error) {
        const cancelled = error instanceof CancelledError;
        const reason = error instanceof Error ? error.message : String(error);
        if (!hadPrevious) {
          if (cancelled) throw error;
          throw new StepFailure(
            `haproxy does not run the spec's configuration: ${reason}. There was no previous file to go back to.`,
            `Look at haproxy on ${lb.hostname} (systemctl status haproxy, haproxy -c -f ${lb.configPath}), then resume.`,
            { node: lb.hostname },
          );
        }
        ctx.log(`${cancelled ? 'cancelled' : reason}: rolling back to the previous configuration`);
        await ctx.exec(lb, lbCmd.restoreConfig(lb.configPath), { sudo: true, cleanup: true });
        await ctx.exec(lb, lbCmd.reload(), { sudo: true, cleanup: true });
        const isBack = (d: string | undefined) =>
          d !== undefined && (describedBefore === undefined || d === describedBefore);
        const back = await poll(
          ctx,
          async () => (isBack(await runningDescription(ctx, lb, { cleanup: true })) ? true : undefined),
          15_000,
          { afterCancel: true },
        );
        const now = back ? describedBefore : await runningDescription(ctx, lb, { cleanup: true });
        const after = back
          ? 'haproxy runs the previous configuration again.'
          : now === undefined
            ? `haproxy does not answer on ${lb.hostname} after the roll back.`
            : `haproxy on ${lb.hostname} still runs "${now || 'a file without description'}" after the roll back.`;
        ctx.log(back ? 'the previous configuration is back and haproxy runs it' : after);
        if (cancelled) throw error;
        throw new StepFailure(
          `The new configuration was rolled back: ${reason}. ${after}`,
          back
            ? "Read the gateways' states above (show stat) and fix what the new file changed for them (health check, CA file, port), then run configure-lb again."
            : `Look at haproxy on ${lb.hostname} now (systemctl status haproxy; ${previous} is the previous file).`,
          { node: lb.hostname },
        );
      }
    },
    preview: (p) => [
      { node: lb.hostname, command: p.show(lbCmd.installConfig(lb.configPath)), sudo: true },
      { node: lb.hostname, command: p.show(lbCmd.reload()), sudo: true },
      {
        node: lb.hostname,
        command: 'show info; show stat (runtime API, until the fingerprint and the gateways are there)',
        sudo: true,
      },
      {
        node: lb.hostname,
        command: p.show(lbCmd.restoreConfig(lb.configPath)),
        sudo: true,
        when: 'only to roll back',
      },
      { node: lb.hostname, command: p.show(lbCmd.reload()), sudo: true, when: 'only to roll back' },
    ],
  };
}

function backendsStep(lb: LoadBalancerModel): Step {
  return {
    id: 'backends',
    title: 'Check every gateway through the runtime API',
    nodes: [lb],
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: 'show stat lists every server of the backend; at least one serves',
    async run(ctx) {
      const rows = await backendServers(ctx, lb);
      if (!rows) throw noAnswer(lb);
      const missing = lb.backend.servers.filter((name) => !rows.some((r) => r.name === name));
      if (missing.length)
        throw new StepFailure(
          `haproxy's backend ${lb.backend.name} lacks ${missing.join(', ')}.`,
          'Run configure-lb again.',
          { node: lb.hostname },
        );
      const serving = rows.filter(isServing);
      if (serving.length === 0)
        throw new StepFailure(
          `No gateway serves: ${describeServers(rows)}.`,
          'Run install, then check each gateway.',
          {
            node: lb.hostname,
          },
        );
      for (const r of rows.filter((row) => !isServing(row))) ctx.log(`${describeServers([r])}: not serving`);
      return `${serving.length} of ${rows.length} gateways UP: ${describeServers(rows)}`;
    },
    preview: () => [{ node: lb.hostname, command: 'show stat (runtime API)', sudo: true }],
  };
}

export function configureLbPlan(model: ClusterModel, options: ConfigureLbOptions): Plan {
  assertLoadBalanced(model, 'configure-lb');
  const lb = model.loadBalancer!;
  const generated = haproxyConfig(model);
  return {
    operation: 'configure-lb',
    cluster: model.name,
    model,
    steps: [
      factsStep(lb, generated),
      writeStep(lb, generated),
      checkStep(lb, generated),
      applyStep(lb, generated, options),
      backendsStep(lb),
    ],
  };
}
