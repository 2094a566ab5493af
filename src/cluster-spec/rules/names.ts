// GC100-GC101: the cluster name and node hostnames are RFC 1123 labels, and hostnames are unique.
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { isRfc1123Label } from '../net';
import { reportDuplicateNodeValue } from './duplicate-node-value';

const LABEL_RULE = 'use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit';

/** The label a user most likely meant, when simple clean-up yields one. */
function cleanedLabel(text: string): string | undefined {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return cleaned !== text && isRfc1123Label(cleaned) ? cleaned : undefined;
}

function checkLabel(ctx: RuleContext, path: Array<string | number>, what: string): string | undefined {
  const text = ctx.string(path);
  if (text === undefined) return undefined;
  if (isRfc1123Label(text)) return text;
  const cleaned = cleanedLabel(text);
  ctx.fail(
    'GC100',
    path,
    `${what} ${quote(text)} is not a valid RFC 1123 label; ${LABEL_RULE}.`,
    cleaned ? { fix: { kind: 'replaceValue', value: cleaned } } : {},
  );
  return undefined;
}

export function checkNames(ctx: RuleContext): void {
  checkLabel(ctx, ['metadata', 'name'], 'Cluster name');
  const nodes = ctx.list(['spec', 'nodes']) ?? [];
  const firstUse = new Map<string, number>();
  for (let index = 0; index < nodes.length; index++) {
    const path = ['spec', 'nodes', index, 'hostname'];
    const hostname = checkLabel(ctx, path, `Hostname of node ${index + 1}`);
    if (hostname === undefined) continue;
    const first = firstUse.get(hostname);
    if (first === undefined) {
      firstUse.set(hostname, index);
      continue;
    }
    reportDuplicateNodeValue(ctx, 'GC101', 'hostname', index, first, hostname);
  }
}
