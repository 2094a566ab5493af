// /etc/hosts lines: `ADDRESS NAME`, written only for a dotted-quad IPv4 address and an RFC 1123 hostname, so
// no value can add a second name, a second line or a comment to the file.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function hostsLine(address: string, hostname: string): string {
  if (!IPV4.test(address)) throw new Error(`"${address}" is not an IPv4 address for /etc/hosts.`);
  if (!LABEL.test(hostname)) throw new Error(`"${hostname}" is not a hostname for /etc/hosts.`);
  return `${address} ${hostname}`;
}

/**
 * The text of /etc/hosts with each entry's hostname mapped to its address: the name is taken off any other
 * line that carries it (a line left with no name goes), everything else stays in order, and the entries are
 * appended. Applying it twice gives the same text.
 */
export function withHostsEntries(text: string, entries: ReadonlyArray<readonly [string, string]>): string {
  const lines = entries.map(([address, hostname]) => hostsLine(address, hostname));
  const names = new Set(entries.map(([, hostname]) => hostname));
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    if (lines.includes(line.trim())) continue;
    const [body = '', comment] = splitComment(line);
    const fields = body.trim().split(/\s+/).filter(Boolean);
    if (fields.length < 2 || !fields.slice(1).some((name) => names.has(name))) {
      kept.push(line);
      continue;
    }
    const rest = fields.slice(1).filter((name) => !names.has(name));
    if (rest.length > 0)
      kept.push(`${fields[0]} ${rest.join(' ')}${comment !== undefined ? ` #${comment}` : ''}`);
  }
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return [...kept, ...lines].join('\n') + '\n';
}

function splitComment(line: string): [string, string | undefined] {
  const at = line.indexOf('#');
  return at < 0 ? [line, undefined] : [line.slice(0, at), line.slice(at + 1)];
}
