// GC160, GC161, GC163 and GC150 for the proxy: both URLs or none, each a plain proxy URL, NO_PROXY entries that
// are addresses, CIDRs or names, and credentials kept out of the file (`credentialsSecret` names them).
import { quote } from '../codes';
import type { RuleContext } from '../context';
import {
  isNoProxyEntry,
  isProxyProblem,
  maskCredentials,
  parseProxyUrl,
  withoutCredentials,
} from '../proxy-url';
import { safeName } from './secrets';

const PROXY = ['spec', 'network', 'proxy'];

export function checkProxy(ctx: RuleContext): void {
  const proxy = ctx.value(PROXY);
  if (proxy === null || typeof proxy !== 'object' || Array.isArray(proxy)) return;
  checkBoth(ctx, proxy);
  for (const scheme of ['http', 'https'] as const) {
    const path = [...PROXY, scheme];
    const url = ctx.string(path);
    if (url === undefined) continue;
    const parsed = parseProxyUrl(url);
    if (isProxyProblem(parsed)) {
      ctx.fail(
        'GC161',
        path,
        `proxy.${scheme} ${quote(maskCredentials(url))} is not a proxy URL: ${parsed.problem}; write one such as "http://proxy.example.com:3128".`,
      );
    } else if (parsed.hasCredentials) {
      const cluster = safeName(ctx.string(['metadata', 'name']) ?? 'cluster');
      ctx.report(
        'GC150',
        path,
        'value',
        `proxy.${scheme} has credentials written inline in the file; move "user:password" into the editor's secret storage, refer to it with "credentialsSecret" and write the URL without them.`,
        {
          fix: {
            kind: 'moveProxyCredentials',
            secretKey: 'credentialsSecret',
            suggestedName: `${cluster}-proxy-credentials`,
          },
        },
      );
    }
  }
  const entries = ctx.list([...PROXY, 'noProxy']) ?? [];
  entries.forEach((_, index) => {
    const path = [...PROXY, 'noProxy', index];
    const entry = ctx.string(path);
    if (entry !== undefined && !isNoProxyEntry(entry)) {
      ctx.fail(
        'GC163',
        path,
        `noProxy[${index}] ${quote(entry)} is not an IPv4 address, an IPv4 CIDR, a host name or a ".domain" suffix; write one such as "172.25.252.0/24" or ".example.com".`,
      );
    }
  });
}

function checkBoth(ctx: RuleContext, proxy: object): void {
  const hasHttp = Object.hasOwn(proxy, 'http');
  const hasHttps = Object.hasOwn(proxy, 'https');
  if (hasHttp === hasHttps) return;
  const present = hasHttp ? 'http' : 'https';
  const missing = hasHttp ? 'https' : 'http';
  const written = ctx.string([...PROXY, present]);
  // The fix copies the other URL, but never its credentials (a valid one only: no fix copies a mistake).
  const copy = written !== undefined && !isProxyProblem(parseProxyUrl(written)) ? written : undefined;
  ctx.report(
    'GC160',
    PROXY,
    'key',
    `proxy sets "${present}" but not "${missing}"; set both (usually to the same URL) so that every download goes through the proxy.`,
    copy === undefined ? {} : { fix: { kind: 'insertProxy', key: missing, value: withoutCredentials(copy) } },
  );
}
