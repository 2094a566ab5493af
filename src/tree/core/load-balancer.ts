// What the tree shows of a load balancer, from `show stat` (pure: no vscode): each server's state as a person
// reads it (UP, DOWN, MAINT, DRAIN, or a transition), its last check and the time since its last change, the
// backend's and the frontends' summaries, and whether haproxy runs the spec's configuration at all.

/** The parts of a `show stat` row the tree reads (ops' StatRow fits). */
export interface StatRowLike {
  proxy: string;
  name: string;
  status: string;
  checkStatus?: string;
  lastCheck?: string;
  lastChangeSeconds?: number;
  sessions?: number;
}

export type ServerHealth = 'up' | 'down' | 'maint' | 'drain' | 'changing' | 'unknown';

export interface ServerView {
  name: string;
  health: ServerHealth;
  /** "UP", "DOWN", "MAINT", "DRAIN", "UP, going down (1/3)", "DOWN, coming up (1/2)". */
  state: string;
  /** "L7OK", "L4CON Connection refused". */
  check?: string;
  /** "12s", "4m", "2h 5m" since the last change, as of now. */
  since?: string;
  sessions?: number;
}

/** A duration in seconds as the tree writes it. */
export function shortDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.floor(seconds))}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) {
    const minutes = Math.floor((seconds % 3600) / 60);
    return `${Math.floor(seconds / 3600)}h${minutes ? ` ${minutes}m` : ''}`;
  }
  return `${Math.floor(seconds / 86_400)}d`;
}

export function serverView(row: StatRowLike, readAt: number, now: number): ServerView {
  const [word = '', progress] = row.status.split(' ');
  let health: ServerHealth;
  let state = word;
  if (progress && word === 'UP') {
    health = 'changing';
    state = `UP, going down (${progress})`;
  } else if (progress && word === 'DOWN') {
    health = 'changing';
    state = `DOWN, coming up (${progress})`;
  } else if (word === 'UP' || word === 'OPEN') health = 'up';
  else if (word === 'DOWN' || word === 'NOLB') health = 'down';
  else if (word === 'MAINT') health = 'maint';
  else if (word === 'DRAIN') health = 'drain';
  else health = 'unknown';
  const view: ServerView = { name: row.name, health, state };
  if (row.checkStatus) {
    const failed = !/^L[467]OK$/.test(row.checkStatus) && row.checkStatus !== 'INI';
    view.check = failed && row.lastCheck ? `${row.checkStatus} ${row.lastCheck}` : row.checkStatus;
  }
  if (row.lastChangeSeconds !== undefined)
    view.since = shortDuration(row.lastChangeSeconds + Math.max(0, (now - readAt) / 1000));
  if (row.sessions !== undefined) view.sessions = row.sessions;
  return view;
}

export function describeServer(view: ServerView): string {
  return [view.state, view.check, view.since].filter(Boolean).join(' · ');
}

/** "3/3 UP", "2/3 UP · 1 DOWN", "1/3 UP · 1 MAINT · 1 DOWN". */
export function backendSummary(views: readonly ServerView[]): string {
  const up = views.filter((v) => v.health === 'up').length;
  const others = new Map<string, number>();
  for (const v of views) {
    if (v.health === 'up') continue;
    const word = v.health === 'changing' ? 'changing' : v.state.split(/[ ,]/)[0]!;
    others.set(word, (others.get(word) ?? 0) + 1);
  }
  return [`${up}/${views.length} UP`, ...[...others].map(([word, count]) => `${count} ${word}`)].join(' · ');
}

/** A server or frontend of the spec that the running haproxy.cfg does not have. */
export const NOT_IN_RUNNING_CONFIG = 'not in the running configuration';
/** The load balancer runs a haproxy.cfg other than the spec's: what the tree says, and what to do. */
export const OTHER_CONFIG = 'runs another configuration — Configure Load Balancer';

/**
 * Whether haproxy runs the spec's configuration: `show info`'s description ends with the fingerprint that
 * configure-lb writes (`gateway-cluster NAME sha256:…`). Unknown (no fingerprint to compare): assumed so.
 */
export function runsSpecConfig(description: string | undefined, fingerprint: string | undefined): boolean {
  if (fingerprint === undefined) return true;
  return description?.trim().endsWith(fingerprint) ?? false;
}

/** The load balancer's (and its cluster's) summary: "3/3 UP", or that another configuration runs. */
export function lbSummary(views: readonly ServerView[], specConfig: boolean): string {
  if (specConfig) return backendSummary(views);
  // Another file's servers are no count of the spec's gateways ("0/0 UP" said nothing).
  return views.length ? `${backendSummary(views)} · ${OTHER_CONFIG}` : OTHER_CONFIG;
}

export function frontendDescription(
  bind: string,
  row: StatRowLike | undefined,
  /** show stat was read (and this frontend is not in it). */
  read = false,
): string {
  const parts = [bind];
  if (row) parts.push(row.status || 'unknown');
  else parts.push(read ? NOT_IN_RUNNING_CONFIG : 'not running');
  if (row?.sessions !== undefined) parts.push(`${row.sessions} session${row.sessions === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/**
 * Where a load balancer's read-only document lives: its last part names the editor's tab ("lb-1 stats"; the
 * two haproxy.cfg files are shown in a diff with a title of its own).
 */
export function lbDocumentPath(
  cluster: string,
  host: string,
  kind: 'running' | 'generated' | 'stats',
): string {
  return kind === 'stats' ? `/${cluster}/stats/${host} stats` : `/${cluster}/${kind}/haproxy.cfg`;
}

/** `show info` and `show stat` as a person reads them: the info lines, then a table of the rows. */
export function formatStats(info: string, stat: string, at: Date): string {
  const lines = [
    `# Runtime API of the load balancer, read ${at.toISOString()} (read-only; Refresh reads again)`,
    '',
  ];
  const wanted = ['Name', 'Version', 'Release_date', 'Uptime', 'description', 'Pid', 'CurrConns', 'CumConns'];
  for (const line of info.split('\n')) {
    const key = line.slice(0, line.indexOf(':'));
    if (wanted.includes(key)) lines.push(line);
  }
  const csv = stat.split('\n').filter((l) => l.trim() !== '');
  const header =
    csv
      .find((l) => l.startsWith('# '))
      ?.slice(2)
      .split(',') ?? [];
  const columns = [
    'pxname',
    'svname',
    'status',
    'check_status',
    'last_chk',
    'lastchg',
    'chkfail',
    'scur',
    'stot',
  ];
  const indexes = columns.map((c) => header.indexOf(c));
  const rows = [
    columns,
    ...csv
      .filter((l) => !l.startsWith('#'))
      .map((l) => indexes.map((i) => (i >= 0 ? (l.split(',')[i] ?? '') : ''))),
  ];
  const widths = columns.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  lines.push(
    '',
    ...rows.map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    ),
  );
  return lines.join('\n') + '\n';
}
