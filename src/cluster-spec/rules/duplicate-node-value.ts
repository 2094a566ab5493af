// GC101 and GC103 report a node value that an earlier node already uses the same way: on the later value,
// with related information at the first use and the next free value as the quick fix.
import { quote } from '../codes';
import type { RuleContext } from '../context';

export function reportDuplicateNodeValue(
  ctx: RuleContext,
  code: 'GC101' | 'GC103',
  field: 'hostname' | 'address',
  index: number,
  first: number,
  text: string,
): void {
  const suggestion = ctx.freeValues()[field];
  const label = field === 'hostname' ? 'Hostname' : 'Address';
  ctx.report(
    code,
    ['spec', 'nodes', index, field],
    'value',
    `${label} ${quote(text)} is already used by node ${first + 1}; give each node its own ${field}${suggestion ? `, such as "${suggestion}"` : ''}.`,
    {
      related: [
        {
          message: `${quote(text)} is first used here`,
          range: ctx.rangeOf(['spec', 'nodes', first, field], 'value'),
        },
      ],
      ...(suggestion ? { fix: { kind: 'replaceValue', value: suggestion } } : {}),
    },
  );
}
