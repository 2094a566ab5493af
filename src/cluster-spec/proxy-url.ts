// Proxy settings as the nodes get them: MicroK8s sources its containerd-env as root, so a proxy value is
// accepted only when it is plainly a proxy and nothing else. A proxy URL is `http://` or `https://`, optional
// credentials, a host (an IPv4 address or a DNS name), an optional port and an empty path or `/`; no query,
// no fragment. Its characters are limited to what a URL authority needs without sub-delimiters
// (`A-Z a-z 0-9 - . _ ~ % : / @`): `$ ( ) ; & ' ` and the like must be percent-encoded in credentials and have
// no place elsewhere. A NO_PROXY entry is an IPv4 address, an IPv4 CIDR, a host name or a `.domain` suffix.
import { isHostname, parseCidr, parseIPv4 } from './net';

export interface ProxyUrl {
  scheme: 'http' | 'https';
  host: string;
  port?: number;
  /** True when the URL carries `user[:password]@` (a secret written inline). */
  hasCredentials: boolean;
}

/** Why a text is not a proxy URL, as the end of a sentence ("… is not a proxy URL: <problem>"). */
export type ProxyUrlProblem = { problem: string };

const ALLOWED = /^[A-Za-z0-9._~%:/@-]*$/;
const PERCENT = /%(?![0-9A-Fa-f]{2})/;

function firstForbidden(text: string): string | undefined {
  for (const char of text) if (!ALLOWED.test(char)) return char;
  return undefined;
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || code === 0x7f ? name : `${JSON.stringify(char)} (${name})`;
}

/** Answers by text: a spec usually has the same URL twice (http and https), and is validated at every edit. */
const answers = new Map<string, ProxyUrl | ProxyUrlProblem>();

export function parseProxyUrl(text: string): ProxyUrl | ProxyUrlProblem {
  let answer = answers.get(text);
  if (answer === undefined) {
    if (answers.size >= 64) answers.clear();
    answers.set(text, (answer = Object.freeze(readProxyUrl(text))));
  }
  return answer;
}

function readProxyUrl(text: string): ProxyUrl | ProxyUrlProblem {
  const scheme = /^(https?):\/\//.exec(text)?.[1] as 'http' | 'https' | undefined;
  if (!scheme) return { problem: 'it must start with "http://" or "https://"' };
  const forbidden = firstForbidden(text);
  if (forbidden !== undefined)
    return {
      problem: `it holds ${describeChar(forbidden)}; a proxy URL holds only letters, digits and - . _ ~ % : / @ (percent-encode others in credentials)`,
    };
  const rest = text.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash);
  if (path !== '' && path !== '/') return { problem: 'it has a path; write only the scheme, host and port' };
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = authority.slice(at + 1);
  if (userinfo !== undefined && (userinfo.includes('@') || PERCENT.test(userinfo) || userinfo === ''))
    return { problem: 'its credentials are malformed (percent-encode "@", "%" and other characters)' };
  const [host = '', portText, extra] = hostPort.split(':');
  if (extra !== undefined) return { problem: 'it has more than one port' };
  if (host.includes('%')) return { problem: 'its host holds "%"' };
  const isAddress = /^[0-9.]+$/.test(host);
  if (isAddress ? parseIPv4(host) === undefined : !isHostname(host))
    return { problem: 'its host is neither an IPv4 address nor a host name' };
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^[1-9][0-9]{0,4}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) return { problem: 'its port is not a number 1-65535' };
  }
  // The URL parser must read the same URL: the scheme, the host and the port as written.
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'it is not a URL' };
  }
  if (url.hostname !== host.toLowerCase() || url.port !== (portText ?? '').replace(/^(80|443)$/, ''))
    return { problem: 'a URL parser reads another host or port in it' };
  return {
    scheme,
    host,
    ...(port === undefined ? {} : { port }),
    hasCredentials: userinfo !== undefined,
  };
}

export function isProxyProblem(value: ProxyUrl | ProxyUrlProblem): value is ProxyUrlProblem {
  return 'problem' in value;
}

/** The URL without `user[:password]@` (for a fix that copies it: credentials belong in the secret). */
export function withoutCredentials(text: string): string {
  return text.replace(/^(https?:\/\/)[^/]*@/, '$1');
}

/** The text with everything up to its last `@` masked, for messages: they never show credentials. */
export function maskCredentials(text: string): string {
  return text.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^]*@/, '$1***@');
}

/** A NO_PROXY entry: an IPv4 address, an IPv4 CIDR, a host name, or a `.domain` suffix. */
export function isNoProxyEntry(text: string): boolean {
  if (text.includes('/')) return parseCidr(text) !== undefined;
  if (/^[0-9.]+$/.test(text)) return parseIPv4(text) !== undefined;
  return isHostname(text.startsWith('.') ? text.slice(1) : text) && !text.endsWith('.');
}
