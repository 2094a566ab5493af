// kubectl's value formats: HumanDuration ages, RFC 1123 times with a numeric zone, resource quantities.
/* eslint-disable @typescript-eslint/no-explicit-any */
export type Loose = any;

/** apimachinery's duration.HumanDuration: 45s, 2m30s, 15m, 5h20m, 10h, 3d4h, 30d, 2y10d. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${hours / 24}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

export function toMillis(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && value) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** kubectl's translateTimestampSince: `<unknown>` for a missing time. */
export function since(value: unknown, now: number): string {
  const ms = toMillis(value);
  return ms === undefined ? '<unknown>' : humanDuration(now - ms);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z (`Mon, 02 Jan 2006 15:04:05 -0700`), in UTC or the workstation's zone as kubectl. */
export function rfc1123z(value: unknown, zone: 'utc' | 'local' = 'local'): string {
  const ms = toMillis(value) ?? 0;
  const offset = zone === 'utc' ? 0 : -new Date(ms).getTimezoneOffset();
  const d = new Date(ms + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ` +
    `${sign}${pad(Math.trunc(abs / 60))}${pad(abs % 60)}`
  );
}

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A resource quantity: its value in base units and whether it was written with binary suffixes. */
export interface Quantity {
  value: number;
  binary: boolean;
}

export function parseQuantity(text: unknown): Quantity {
  const match = /^([+-]?[\d.]+)([a-zA-Z]*)$/.exec(String(text ?? '0').trim());
  if (!match) return { value: 0, binary: false };
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return { value: number * (BINARY[suffix] ?? 1), binary: true };
  if (/^[eE]/.test(suffix)) return { value: Number(match[0]), binary: false };
  return { value: number * (DECIMAL[suffix] ?? 1), binary: false };
}

/** The canonical form kubectl prints (`250m`, `64Mi`, `2`, `0`). */
export function formatQuantity(q: Quantity): string {
  if (q.value === 0) return '0';
  if (q.binary) {
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
      const unit = BINARY[suffix] ?? 1;
      if (q.value % unit === 0) return `${q.value / unit}${suffix}`;
    }
    return String(q.value);
  }
  for (const suffix of ['E', 'P', 'T', 'G', 'M', 'k', '', 'm', 'u', 'n']) {
    const unit = DECIMAL[suffix] ?? 1;
    const scaled = q.value / unit;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 && Math.abs(scaled) >= 1)
      return `${Math.round(scaled)}${suffix}`;
  }
  return String(q.value);
}

export const orNone = (text: string | undefined) => (text ? text : '<none>');
