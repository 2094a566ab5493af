// Hover text: the schema's description and default for keys; for values, what the model says about them.
import type { ClusterModel, SpecPath } from '../../cluster-spec/types';
import { contains, formatIPv4, parseCidrOrRange, parseIPv4, sizeOf } from '../../cluster-spec/net';
import { defaultOf, descriptionOf, schemaAtPath, type JsonSchema } from './schema-walk';

function pathLabel(path: SpecPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

export function keyHover(root: JsonSchema, path: SpecPath): string | undefined {
  const schema = schemaAtPath(root, path);
  if (!schema) return undefined;
  const generic = path.map((p) => (typeof p === 'number' ? '[]' : p));
  const parts = [`**${pathLabel(generic).replace(/\.\[\]/g, '[]')}**`];
  const description = descriptionOf(root, schema);
  if (description) parts.push(description);
  const def = defaultOf(root, schema);
  if (def !== undefined) parts.push(`Default: \`${typeof def === 'string' ? def : JSON.stringify(def)}\``);
  return parts.join('\n\n');
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 'es'}`;
}

function relation(address: number, name: string, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const block = parseCidrOrRange(text);
  if (!block) return undefined;
  return `${contains(block, address) ? 'inside' : 'outside'} \`${name}\` ${text}`;
}

export function valueHover(
  value: string,
  path: SpecPath,
  model: ClusterModel | undefined,
): string | undefined {
  const trimmed = value.trim();
  const address = parseIPv4(trimmed);
  if (address !== undefined) {
    const lines: string[] = [`**${trimmed}**`];
    if (model) {
      const network = model.network;
      const facts = [
        relation(address, 'subnet', network.subnet),
        relation(address, 'dhcpRange', network.dhcpRange),
        relation(address, 'metallbRange', network.metallbRange),
      ].filter((x): x is string => x !== undefined);
      if (facts.length > 0) lines.push(facts.map((f) => `- ${f}`).join('\n'));
      const holders = model.nodes.filter((n) => n.address === trimmed);
      for (const node of holders)
        lines.push(`Held by node ${node.index + 1}: \`${node.hostname || '(no hostname)'}\``);
      if (network.floatingIp === trimmed) lines.push("The floating IP (the Gateway Manager's address).");
      if (network.gateway === trimmed) lines.push('The default gateway.');
      if (holders.length === 0 && network.floatingIp !== trimmed && path[path.length - 1] !== 'address') {
        lines.push('No node holds this address.');
      }
    }
    return lines.join('\n\n');
  }
  const block = parseCidrOrRange(trimmed);
  if (block) {
    return [
      `**${trimmed}**`,
      `First address \`${formatIPv4(block.first)}\`, last address \`${formatIPv4(block.last)}\`: ${plural(sizeOf(block), 'address')}.`,
    ].join('\n\n');
  }
  return undefined;
}
