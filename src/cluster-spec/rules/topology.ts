// GC120-GC124 and GC130: node count per topology, placement on physical hosts, declared VM size.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import type { FixHint } from '../types';

const MINIMUM = { cpus: 4, memoryGiB: 8, diskGiB: 40 } as const;
const UNIT = { cpus: 'CPUs', memoryGiB: 'GiB memory', diskGiB: 'GiB disk' } as const;

export function checkTopology(ctx: RuleContext): void {
  const topologyPath = ['spec', 'topology'];
  const topology = ctx.string(topologyPath);
  const nodes = ctx.list(['spec', 'nodes']);
  if (topology === 'ha') {
    if (nodes && nodes.length < 3) {
      ctx.report(
        'GC120',
        topologyPath,
        'value',
        `Topology "ha" needs at least 3 nodes but ${nodes.length === 1 ? '1 is' : `${nodes.length} are`} listed; add nodes or use "single-node".`,
        addNodeFix(ctx, nodes.length),
      );
    }
    if (nodes) checkHosts(ctx, nodes);
  } else if (topology === 'single-node') {
    if (nodes && nodes.length > 1) {
      ctx.report(
        'GC121',
        topologyPath,
        'value',
        `Topology "single-node" takes exactly one node but ${nodes.length} are listed; remove the others or use "ha".`,
      );
    }
    ctx.report(
      'GC124',
      topologyPath,
      'value',
      'Topology "single-node" has no high availability: a node or host failure stops the gateway; use "ha" with 3 nodes for that.',
    );
  }
  checkResources(ctx, nodes ?? []);
}

/** A node with the next free hostname, address (and host, when the others name theirs), if all are known. */
function addNodeFix(ctx: RuleContext, count: number): { fix?: FixHint } {
  const { hostname, address, host } = ctx.freeValues();
  const listed = ctx.list(['spec', 'nodes']) ?? [];
  const hostsGiven = listed.some(
    (node) => node !== null && typeof node === 'object' && Object.hasOwn(node, 'host'),
  );
  if (!hostname || !address || count === 0 || (hostsGiven && !host)) return {};
  return { fix: { kind: 'appendNode', hostname, address, ...(hostsGiven ? { host } : {}) } };
}

function checkHosts(ctx: RuleContext, nodes: unknown[]): void {
  const firstOnHost = new Map<string, number>();
  let withHost = 0;
  let counted = 0;
  nodes.forEach((_, index) => {
    const node = ctx.value(['spec', 'nodes', index]);
    if (node === null || typeof node !== 'object') return;
    counted++;
    if (!Object.hasOwn(node, 'host')) return;
    withHost++;
    const path = ['spec', 'nodes', index, 'host'];
    const host = ctx.string(path);
    if (host === undefined) return;
    const first = firstOnHost.get(host);
    if (first === undefined) {
      firstOnHost.set(host, index);
      return;
    }
    ctx.report(
      'GC122',
      path,
      'value',
      `Node ${index + 1} runs on host ${quote(host)} like node ${first + 1}, so one host failure takes both down; place them on different hosts.`,
      {
        ...(ctx.freeValues().host ? { fix: { kind: 'replaceValue', value: ctx.freeValues().host! } } : {}),
        related: [
          {
            message: `node ${first + 1} also runs on ${quote(host)}`,
            range: ctx.rangeOf(['spec', 'nodes', first, 'host'], 'value'),
          },
        ],
      },
    );
  });
  if (withHost > 0 && withHost < counted) {
    ctx.report(
      'GC123',
      ['spec', 'nodes'],
      'key',
      `"host" is given on ${withHost} of ${counted} nodes, so host placement cannot be checked for the others; give every node its host.`,
    );
  }
}

function checkResources(ctx: RuleContext, nodes: unknown[]): void {
  nodes.forEach((_, index) => {
    for (const field of ['cpus', 'memoryGiB', 'diskGiB'] as const) {
      const path = ['spec', 'nodes', index, 'resources', field];
      const value = ctx.number(path);
      if (value !== undefined && value < MINIMUM[field]) {
        ctx.report(
          'GC130',
          path,
          'value',
          `Node ${index + 1} declares ${field} ${quote(value)}, below the minimum of ${MINIMUM[field]} ${UNIT[field]}; size the VM up.`,
          {
            fix: { kind: 'replaceValue', value: String(MINIMUM[field]) },
          },
        );
      }
    }
  });
}
