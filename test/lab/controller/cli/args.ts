// Command-line helpers shared by the fake commands.
import { join, posix } from 'node:path';
import type { CommandContext } from './context';

export function flagValue(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(name + '=')) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Every value of a repeatable flag (`-f a -f b`, `--set=x`), in order. */
export function flagValues(args: string[], ...names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    for (const name of names) {
      if (arg === name && args[i + 1] !== undefined) out.push(args[++i] ?? '');
      else if (arg.startsWith(name + '=')) out.push(arg.slice(name.length + 1));
    }
  }
  return out;
}

/** helm's `--set a=b,c=d` with `\,` and `\\` escapes. */
export function parseSet(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let current = '';
  const flush = (): void => {
    const eq = current.indexOf('=');
    if (eq > 0) pairs.push([current.slice(0, eq), current.slice(eq + 1)]);
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) current += text[++i];
    else if (c === ',') flush();
    else current += c;
  }
  flush();
  return pairs;
}

/** Whether a values file sets a non-empty password somewhere (the value is not kept). */
export function valuesHavePassword(text: string): boolean {
  return /^\s*["']?[\w.-]*password["']?\s*:\s*(?!(?:""|''|~|null)\s*$)\S/im.test(text);
}

/** Where a path on the node lives on the host: /tmp and the login user's home are the node's own. */
export function nodePath(ctx: CommandContext, path: string): string | undefined {
  const nodeDir = join(ctx.config.dir, 'nodes', String(ctx.node.index));
  const user = ctx.config.user ?? 'gateway';
  const clean = posix.normalize(path.startsWith('/') ? path : `/home/${user}/${path}`);
  if (clean === '/tmp' || clean.startsWith('/tmp/')) return join(nodeDir, 'tmp', clean.slice(4));
  if (clean.startsWith(`/home/${user}/`)) return join(nodeDir, 'home', clean.slice(`/home/${user}/`.length));
  return undefined;
}

export function positional(args: string[], valueFlags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('-')) {
      if (valueFlags.includes(arg)) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}
