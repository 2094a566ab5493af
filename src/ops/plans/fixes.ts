// Fixes for preflight's findings, and what Join shares with them: the /etc/hosts rewrite (idempotent, the
// file on stdin under sudo) and the hostname, each a step that is skipped when its effect is already there.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import { withHostsEntries } from '../../encode';
import { StepFailure } from '../errors';
import { cmd, parseGetent } from '../node-commands';
import type { Plan, PreviewContext, Step, StepContext } from '../plan';
import type { PlannedCommand } from '../records';
import type { Fix } from './preflight-report';
import { assertUsable } from './validate';

/** Maps each entry's hostname to its address in the node's /etc/hosts (the file is rewritten, idempotent). */
export async function writeHostsEntries(
  ctx: StepContext,
  node: NodeModel,
  entries: ReadonlyArray<readonly [string, string]>,
): Promise<boolean> {
  const current = (await ctx.exec(node, cmd.readHosts())).stdout;
  const wanted = withHostsEntries(current, entries);
  if (wanted === current) return false;
  await ctx.exec(node, cmd.writeHosts(), {
    sudo: true,
    stdin: wanted,
    stdinLabel: `/etc/hosts with ${entries.map(([address, name]) => `${address} ${name}`).join(', ')}`,
  });
  return true;
}

export function hostsPreview(p: PreviewContext, node: NodeModel, lines: readonly string[]): PlannedCommand[] {
  return [
    { node: node.hostname, command: p.show(cmd.readHosts()) },
    {
      node: node.hostname,
      command: p.show(cmd.writeHosts()),
      sudo: true,
      stdin: `the file with ${lines.join(', ')} (other lines kept)`,
      when: 'when a name does not resolve to its spec address',
    },
  ];
}

/** Applies one fix on its node (both need root). */
export async function applyFix(ctx: StepContext, fix: Fix): Promise<void> {
  const node = ctx.model.nodes.find((n) => n.hostname === fix.node);
  if (!node) throw new StepFailure(`No node ${fix.node} in the spec.`, 'Run preflight again.');
  if (fix.kind === 'appendHosts') {
    const entries = fix.lines.map((line) => line.split(' ') as [string, string]);
    await writeHostsEntries(ctx, node, entries);
  } else {
    await ctx.exec(node, cmd.setHostname(fix.hostname), { sudo: true });
  }
}

/** Applies the chosen fixes, one step per fix; each is skipped when its effect is already there. */
export function fixPlan(model: ClusterModel, fixes: readonly Fix[]): Plan {
  assertUsable(model, 'fix');
  const steps: Step[] = fixes.map((fix, i) => {
    const node = model.nodes.find((n) => n.hostname === fix.node);
    if (!node) throw new Error(`No node ${fix.node} in the spec`);
    const title =
      fix.kind === 'appendHosts'
        ? `Add ${fix.lines.map((l) => l.split(' ')[1]).join(', ')} to /etc/hosts on ${fix.node}`
        : `Set the hostname of ${node.address} to ${fix.hostname}`;
    return {
      id: `fix-${i + 1}-${fix.kind}-${fix.node}`,
      title,
      nodes: [node],
      checkText:
        fix.kind === 'appendHosts'
          ? 'the names already resolve to their spec addresses'
          : 'the hostname is already right',
      async check(ctx) {
        if (fix.kind === 'setHostname') {
          const r = await ctx.exec(node, cmd.hostname());
          return r.stdout.trim() === fix.hostname ? `hostname is ${fix.hostname}` : undefined;
        }
        const names = fix.lines.map((l) => l.split(' ')[1]!);
        const r = await ctx.exec(node, cmd.resolve(names), { okCodes: 'any' });
        const resolved = parseGetent(r.stdout);
        const ok = fix.lines.every((l) => {
          const [address, name] = l.split(' ');
          return resolved.get(name!)?.includes(address!);
        });
        return ok ? `${names.join(', ')} resolve` : undefined;
      },
      run: async (ctx) => applyFix(ctx, fix),
      preview(p) {
        return fix.kind === 'appendHosts'
          ? hostsPreview(p, node, fix.lines)
          : [{ node: fix.node, command: p.show(cmd.setHostname(fix.hostname)), sudo: true }];
      },
    };
  });
  return { operation: 'fix', cluster: model.name, model, steps };
}
