// The real kubectl for the lab's nodes: extracted by ensure-tools into the tools cache (under root's home,
// which the nodes' login user cannot read), then copied once per version to a folder every lab shares.
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { ensureKubectl } from '../../scripts/ensure-tools';

const SHARED = '/run/gateway-cluster-lab-tools';

/** The path of a kubectl that every lab node (and user) can run. */
export function labKubectl(): string {
  const { kubectl, version } = ensureKubectl((line) => console.error(`[lab] ${line}`));
  const target = join(SHARED, `kubectl-${version}`);
  if (!existsSync(target)) {
    mkdirSync(SHARED, { recursive: true, mode: 0o755 });
    const partial = `${target}.partial-${process.pid}`;
    copyFileSync(kubectl, partial);
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
  return target;
}
