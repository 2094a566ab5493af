// One parser for the CLI's options: `--name value`, `--name=value`, flags, repeatable options, `--` to end
// them. Each command declares its options in a table; anything else is a usage error.

export interface OptionSpec {
  /** Takes a value (`--format json`); otherwise a flag. */
  value?: boolean;
  /** May be given several times (`--known-hosts A --known-hosts B`). */
  repeatable?: boolean;
}

export interface ParsedOptions {
  /** The last value of each valued option, every value of a repeatable one, true for a flag. */
  values: Map<string, string | string[] | true>;
  positionals: string[];
}

export function parseOptions(
  args: readonly string[],
  table: Record<string, OptionSpec>,
): ParsedOptions | string {
  const values = new Map<string, string | string[] | true>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') return `unknown option "${arg}"`;
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = Object.hasOwn(table, name) ? table[name] : undefined;
    if (!spec) return `unknown option "--${name}"`;
    if (!spec.value) {
      if (eq >= 0) return `--${name} takes no value`;
      values.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) return `--${name} needs a value`;
    if (spec.repeatable) {
      const list = values.get(name);
      values.set(name, [...(Array.isArray(list) ? list : []), value]);
    } else values.set(name, value);
  }
  return { values, positionals };
}

/** A valued option's value, or undefined. */
export function valueOf(parsed: ParsedOptions, name: string): string | undefined {
  const value = parsed.values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function listOf(parsed: ParsedOptions, name: string): string[] {
  const value = parsed.values.get(name);
  return Array.isArray(value) ? value : [];
}

export function flagOf(parsed: ParsedOptions, name: string): boolean {
  return parsed.values.get(name) === true;
}

export type OutputFormat = 'text' | 'json';

/** `--format`: text (the default) or json. */
export function formatOf(parsed: ParsedOptions): OutputFormat | string {
  const value = valueOf(parsed, 'format') ?? 'text';
  return value === 'text' || value === 'json' ? value : `--format must be "text" or "json", not "${value}"`;
}
