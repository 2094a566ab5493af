// GC180: identity files exist on this machine (skipped offline).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { quote } from '../codes';
import type { RuleContext } from '../context';
import { otherHostPaths } from './hosts';

/** `~` is the home directory; a relative path is relative to the spec file, like paths in a kubeconfig. */
export function expandIdentityFile(file: string, homeDir: string, specFile: string): string {
  if (file === '~') return homeDir;
  if (file.startsWith('~/') || file.startsWith('~\\')) return join(homeDir, file.slice(2));
  if (isAbsolute(file) || !isAbsolute(specFile)) return file;
  return join(dirname(specFile), file);
}

export function checkFiles(ctx: RuleContext): void {
  if (ctx.options.offline) return;
  const exists = ctx.options.fileExists ?? existsSync;
  const home = ctx.options.homeDir ?? homedir();
  const paths: Array<Array<string | number>> = [['spec', 'ssh', 'identityFile']];
  const nodes = ctx.list(['spec', 'nodes']) ?? [];
  nodes.forEach((_, index) => paths.push(['spec', 'nodes', index, 'ssh', 'identityFile']));
  for (const host of otherHostPaths(ctx)) paths.push([...host, 'ssh', 'identityFile']);
  for (const path of paths) {
    const file = ctx.string(path);
    if (file === undefined) continue;
    const expanded = expandIdentityFile(file, home, ctx.options.fileName);
    const found = file.length > 0 && safeExists(exists, expanded);
    if (!found) {
      ctx.report(
        'GC180',
        path,
        'value',
        `identityFile ${quote(file)} does not exist on this machine (looked for ${quote(expanded)}); create the key or correct the path.`,
      );
    }
  }
}

function safeExists(exists: (path: string) => boolean, path: string): boolean {
  try {
    return exists(path);
  } catch {
    return false;
  }
}
