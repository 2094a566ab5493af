// GC125-GC126: `nodes[].role`. A worker runs no datastore: an `ha` cluster needs 3 control-plane nodes
// (workers do not count), and node 1, which bootstraps the datastore, is a control-plane node.
import type { RuleContext } from '../context';

export function checkRoles(ctx: RuleContext): void {
  const nodes = ctx.list(['spec', 'nodes']);
  if (!nodes) return;
  const roles = nodes.map((_, index) => ctx.string(['spec', 'nodes', index, 'role']));
  if (!roles.includes('worker')) return;
  if (roles[0] === 'worker')
    ctx.report(
      'GC126',
      ['spec', 'nodes', 0, 'role'],
      'value',
      'Node 1 bootstraps the cluster and holds its datastore, so it cannot be a worker; make it a control-plane node, or put a control-plane node first.',
      { fix: { kind: 'replaceValue', value: 'control-plane' } },
    );
  const planes = roles.filter((role) => role !== 'worker').length;
  // Fewer than 3 nodes at all is GC120's one finding.
  if (ctx.string(['spec', 'topology']) === 'ha' && nodes.length >= 3 && planes < 3)
    ctx.report(
      'GC125',
      ['spec', 'topology'],
      'value',
      `Topology "ha" needs 3 control-plane nodes but ${planes === 1 ? 'only 1 is' : `${planes} are`} listed (workers run no datastore); make ${3 - planes} of the workers control-plane nodes.`,
    );
}
