// The frame of a benchmark against a lab: bring it up, open a plain SshPool to it, and take both down after.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../test/lab/index';
import type { LabApi, LabInfo, LabOptions } from '../../test/lab/index';
import type { SshPool } from '../../src/remote';
import { labPool } from '../../test/integration/support/lab-remote';

/**
 * Runs `body` against the lab GC_LAB_NAME (default gclabit) on GC_LAB_SUBNET (default 10.250.1), brought up
 * with `options`; the pool's own files live in a temporary folder. Everything is taken down afterwards.
 */
export async function withLabPool(
  options: Omit<LabOptions, 'subnetPrefix'>,
  body: (lab: LabApi, info: LabInfo, pool: SshPool) => Promise<void>,
): Promise<void> {
  const lab = createLab(process.env.GC_LAB_NAME ?? 'gclabit');
  const info = await lab.up({ ...options, subnetPrefix: process.env.GC_LAB_SUBNET ?? '10.250.1' });
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-bench-lab-'));
  const pool = labPool(info, tmp);
  try {
    await body(lab, info, pool);
  } finally {
    await pool.dispose();
    await lab.down();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

/** OpenSSH client options for the lab as a reference client: its key, its known_hosts strictly, no prompt. */
export function openSshOptions(info: LabInfo, controlPath: string): string[] {
  return [
    '-i',
    info.clientKeyPath,
    '-o',
    `UserKnownHostsFile=${info.knownHostsPath}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    `ControlPath=${controlPath}`,
  ];
}
