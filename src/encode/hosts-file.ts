// /etc/hosts lines: `ADDRESS NAME`, written only for a dotted-quad IPv4 address and an RFC 1123 hostname, so
// no value can add a second name, a second line or a comment to the file.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function hostsLine(address: string, hostname: string): string {
  if (!IPV4.test(address)) throw new Error(`"${address}" is not an IPv4 address for /etc/hosts.`);
  if (!LABEL.test(hostname)) throw new Error(`"${hostname}" is not a hostname for /etc/hosts.`);
  return `${address} ${hostname}`;
}
