// How the cluster's own objects read in the tree: events (warnings of the last hour first), services,
// helm releases, the registration and claims. Pure, unit-tested.
import type { ApiClaim, ApiEvent, ApiRegistration, ApiService, HelmRelease } from '../../clusters';
import { formatAge } from './describe';

export const WARNING_WINDOW_MS = 3_600_000;

const recentWarning = (e: ApiEvent, now: number) =>
  e.type === 'Warning' && (e.last ?? 0) >= now - WARNING_WINDOW_MS;

/** Warnings of the last hour first (newest first), then every other event, newest first. */
export function sortEvents(events: ReadonlyArray<ApiEvent>, now: number): ApiEvent[] {
  return [...events].sort((a, b) => {
    const wa = recentWarning(a, now) ? 1 : 0;
    const wb = recentWarning(b, now) ? 1 : 0;
    return wb - wa || (b.last ?? 0) - (a.last ?? 0) || a.reason.localeCompare(b.reason);
  });
}

export function warningsInLastHour(events: ReadonlyArray<ApiEvent>, now: number): number {
  return events.filter((e) => recentWarning(e, now)).length;
}

/** "Killing · pod/sample-web-x" and "12s · ×3 · Stopping container web". */
export function eventRow(
  e: ApiEvent,
  now: number,
  showObject = true,
): { label: string; description: string } {
  const parts = [formatAge(e.last, now)];
  if (e.count > 1) parts.push(`×${e.count}`);
  parts.push(e.message);
  const object = `${e.object.kind.toLowerCase()}/${e.object.name}`;
  return {
    label: showObject ? `${e.reason} · ${object}` : e.reason,
    description: parts.filter(Boolean).join(' · '),
  };
}

export function eventTooltip(e: ApiEvent, now: number): string {
  const first = e.first !== undefined ? formatAge(e.first, now) : '?';
  return [
    `${e.type} ${e.reason} — ${e.object.kind} ${e.object.namespace ? `${e.object.namespace}/` : ''}${e.object.name}`,
    e.message,
    `${e.count > 1 ? `${e.count} times, first ${first} ago, last ${formatAge(e.last, now)} ago` : `${formatAge(e.last, now)} ago`} · from ${e.source || '?'}`,
  ].join('\n');
}

/** "LoadBalancer · 10.152.183.20 · 10.250.0.5 · 5480/TCP". */
export function serviceRow(s: ApiService): string {
  const ports = s.ports.map(
    (p) => `${p.port}${p.nodePort && s.type !== 'ClusterIP' ? `:${p.nodePort}` : ''}/${p.protocol}`,
  );
  return [
    s.type,
    s.clusterIp || 'None',
    ...(s.loadBalancerIps.length ? [s.loadBalancerIps.join(',')] : []),
    ports.join(','),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** "gateway-manager-0.9.6 · rev 2 · deployed · 5m" and what differs from the spec. */
export function releaseRow(
  r: HelmRelease,
  now: number,
  drift: string[],
): { description: string; tooltip: string } {
  const description = [
    `${r.chart}-${r.chartVersion}`,
    `rev ${r.revision}`,
    r.status,
    formatAge(r.lastDeployed, now),
  ]
    .filter(Boolean)
    .join(' · ');
  const values = Object.entries(r.values).map(([k, v]) => `  ${k}: ${v}`);
  const tooltip = [
    `${r.namespace}/${r.name}: ${r.chart} ${r.chartVersion}${r.appVersion ? ` (app ${r.appVersion})` : ''}, revision ${r.revision}, ${r.status}`,
    r.lastDeployed ? `last deployed ${new Date(r.lastDeployed).toISOString()}` : '',
    values.length ? `values (secrets masked):\n${values.join('\n')}` : 'no user-supplied values',
    drift.length ? `differs from the spec:\n${drift.map((d) => `  ${d}`).join('\n')}` : 'as the spec says',
  ]
    .filter(Boolean)
    .join('\n');
  return { description: drift.length ? `${description} · differs from spec` : description, tooltip };
}

export function registrationRow(
  r: ApiRegistration | undefined,
  profile: string | undefined,
): { label: string; description: string } {
  if (!r) return { label: 'not registered', description: profile ? `profile ${profile}` : '' };
  return {
    label: r.state,
    description: [
      r.message,
      (r.managementProfile ?? profile) ? `profile ${r.managementProfile ?? profile}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

/** "Bound · 1Gi · nfs-client · RWO". */
export function claimRow(c: ApiClaim): string {
  const modes = c.accessModes.map(
    (m) =>
      ({ ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' })[m] ?? m,
  );
  return [c.phase, c.capacity ?? c.requested, c.storageClass, modes.join(',')].filter(Boolean).join(' · ');
}

/** The pod's events as a table: TYPE, REASON, AGE, COUNT, FROM, MESSAGE; warnings of the last hour first. */
export function eventTable(what: string, events: ApiEvent[], now: number): string {
  if (events.length === 0) return `Events of ${what}: none in the last hour.\n`;
  const rows = sortEvents(events, now).map((e) => [
    e.type,
    e.reason,
    formatAge(e.last, now),
    String(e.count),
    e.source,
    e.message,
  ]);
  const header = ['TYPE', 'REASON', 'AGE', 'COUNT', 'FROM', 'MESSAGE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < cells.length - 1 ? c.padEnd((widths[i] ?? 0) + 2) : c)).join('');
  return `Events of ${what} (live)\n\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}
