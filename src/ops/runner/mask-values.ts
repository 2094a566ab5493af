// Masking of structured values: every string value is masked, never keys or the structure, so a secret that
// happens to look like JSON syntax (`1000`, `type`, `"`) cannot corrupt an event or a transcript.

/** A deep copy of `value` with `mask` applied to every string in it (object keys untouched). */
export function maskValues<T>(value: T, mask: (text: string) => string): T {
  return walk(value, mask) as T;
}

function walk(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, mask));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item, mask);
    return out;
  }
  return value;
}
