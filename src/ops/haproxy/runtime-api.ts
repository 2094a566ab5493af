// HAProxy's runtime API as the operations and the tree read it through SSH: the commands (sent on stdin to
// `socat` under sudo: the socket is root's), and parsers for `show stat` (CSV), `show info` and the
// `[ALERT] … [FILE:LINE]` lines of `haproxy -c`.
import type { NodeCommand } from '../ports';

/** The command that sends one runtime API command to the stats socket (the command itself goes on stdin). */
export function runtimeApiCommand(statsSocket: string): NodeCommand {
  return { argv: ['socat', '-t', '5', 'stdio', `UNIX-CONNECT:${statsSocket}`] };
}

/** One row of `show stat`: a frontend, a backend, or one of a backend's servers. */
export interface StatRow {
  /** pxname: the frontend's or backend's name. */
  proxy: string;
  /** svname: FRONTEND, BACKEND or the server's name. */
  name: string;
  /** UP, DOWN, NOLB, MAINT, DRAIN, `UP 1/3` while going down, `DOWN 1/2` while coming up, OPEN for a frontend. */
  status: string;
  /** Failed checks so far (chkfail). */
  checkFailures?: number;
  /** Seconds since the last UP/DOWN change (lastchg). */
  lastChangeSeconds?: number;
  /** The last check's result: L4OK, L4CON, L6OK, L6RSP, L7OK, L7STS, INI while none ran, … (check_status). */
  checkStatus?: string;
  /** What the last check said, when it failed (last_chk). */
  lastCheck?: string;
  /** Current sessions (scur). */
  sessions?: number;
}

const COLUMN = {
  proxy: 'pxname',
  name: 'svname',
  sessions: 'scur',
  status: 'status',
  checkFailures: 'chkfail',
  lastChangeSeconds: 'lastchg',
  checkStatus: 'check_status',
  lastCheck: 'last_chk',
} as const;

/** Parses `show stat`'s CSV by its header (`# pxname,svname,…`), so a column moved by a version is found. */
export function parseShowStat(text: string): StatRow[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines.find((line) => line.startsWith('# '));
  if (!header) return [];
  const columns = header.slice(2).split(',');
  const at = (name: string): number => columns.indexOf(name);
  const rows: StatRow[] = [];
  for (const line of lines) {
    if (line.startsWith('#')) continue;
    const cells = line.split(',');
    const cell = (name: string): string | undefined => {
      const index = at(name);
      const value = index >= 0 ? cells[index] : undefined;
      return value === undefined || value === '' ? undefined : value;
    };
    const number = (name: string): number | undefined => {
      const value = cell(name);
      return value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);
    };
    const row: StatRow = {
      proxy: cell(COLUMN.proxy) ?? '',
      name: cell(COLUMN.name) ?? '',
      status: cell(COLUMN.status) ?? '',
    };
    const failures = number(COLUMN.checkFailures);
    if (failures !== undefined) row.checkFailures = failures;
    const since = number(COLUMN.lastChangeSeconds);
    if (since !== undefined) row.lastChangeSeconds = since;
    const status = cell(COLUMN.checkStatus);
    if (status !== undefined) row.checkStatus = status.replace(/^\*/, '');
    const last = cell(COLUMN.lastCheck);
    if (last !== undefined) row.lastCheck = last;
    const sessions = number(COLUMN.sessions);
    if (sessions !== undefined) row.sessions = sessions;
    rows.push(row);
  }
  return rows;
}

/** The servers of one backend (not its FRONTEND/BACKEND summary rows). */
export function serversOf(rows: readonly StatRow[], backend: string): StatRow[] {
  return rows.filter((row) => row.proxy === backend && row.name !== 'BACKEND' && row.name !== 'FRONTEND');
}

/** A server whose last check passed and that takes traffic. */
export function isServing(row: StatRow): boolean {
  return row.status === 'UP' && /^L[467]OK$/.test(row.checkStatus ?? '');
}

/** The state a person reads: UP, DOWN, MAINT, DRAIN, NOLB, or the transition (`UP 1/3` → `UP, going down`). */
export function stateWord(status: string): string {
  return status.split(' ')[0] ?? status;
}

/** `show info`'s `Name: value` lines. */
export function parseShowInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at > 0) info[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return info;
}

export interface ConfigProblem {
  /** The line of the checked file, when HAProxy named one. */
  line?: number;
  message: string;
}

/** The `[ALERT]` lines of `haproxy -c -f FILE`, each with the line of FILE it names. */
export function parseCheckOutput(output: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('[ALERT]')) continue;
    const text = line.replace(/^\[ALERT\]\s*\(\d+\)\s*:\s*/, '').replace(/^config\s*:\s*/, '');
    const located = /^(?:parsing )?\[[^\]:]+:(\d+)\]\s*:?\s*(.*)$/.exec(text);
    if (located) problems.push({ line: Number(located[1]), message: (located[2] ?? '').trim() });
    else if (!/^Fatal errors found|^Error\(s\) found/.test(text)) problems.push({ message: text.trim() });
  }
  return problems;
}
