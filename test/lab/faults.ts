// Faults the lab can inject (LabApi.inject): the controller's (MicroK8s stopped, hung commands, a restarted
// API server, the Gateway Manager's answers), the host's (a link down, sshd killed or re-keyed, sudo
// asking for a password) and both (a VM swapped for a new one at the same address).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault, LabInfo, LabNode } from './api';
import { resetNodeFiles } from './node-files';
import {
  floatingIpReachable,
  killSshd,
  setLink,
  startSshd,
  sudoersText,
  type LabLayout,
  type NodePlan,
} from './nodes';
import { readHostKey, sshKeygen } from './pki';
import { allHosts, inHost } from './lb-hosts';

export interface FaultContext {
  name: string;
  dir: string;
  info: LabInfo;
  layout: LabLayout;
  plan(index: number): NodePlan;
  admin(op: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Saves the changed info (host keys, sudo) to lab.json. */
  save(): void;
  /** The OVA's hostname, which a new VM carries. */
  freshHostname: string;
}

export function writeKnownHosts(path: string, nodes: LabNode[]): void {
  writeFileSync(path, nodes.map((n) => `${n.address} ${n.hostPublicKey}\n`).join(''));
}

export async function injectFault(fault: Fault, ctx: FaultContext): Promise<void> {
  const labInfo = ctx.info;
  const layout = ctx.layout;
  switch (fault.kind) {
    case 'stopMicrok8s':
    case 'startMicrok8s':
    case 'hangCommand':
    case 'clearHang':
    case 'restartApiServer':
    case 'invalidToken':
    case 'stallRegistration':
    case 'classicGateway':
      await ctx.admin('inject', { ...fault });
      return;
    case 'stopGateway':
    case 'startGateway': {
      const verb = fault.kind === 'stopGateway' ? 'stop' : 'start';
      const result = await inHost(ctx.dir, fault.node, layout.binDir, ['systemctl', verb, 'mgmt_gateway']);
      if (result.code !== 0) throw new Error(`lab: systemctl ${verb} mgmt_gateway failed: ${result.stderr}`);
      return;
    }
    case 'floatingIpUnreachable':
      await floatingIpReachable(labInfo.floatingIp, !fault.unreachable);
      return;
    case 'linkDown':
    case 'linkUp':
      await setLink(ctx.plan(fault.node), layout, fault.kind === 'linkUp');
      await ctx.admin('linkState', { node: fault.node, up: fault.kind === 'linkUp' });
      return;
    case 'killSshd':
      await killSshd(ctx.plan(fault.node));
      return;
    case 'startSshd':
      await startSshd(layout, ctx.plan(fault.node));
      return;
    case 'changeHostKey':
      await rekey(ctx, fault.node);
      return;
    case 'replaceVm': {
      // The new VM: its own host key, the OVA's hostname and files, no join tokens, a fresh MicroK8s.
      await rekey(ctx, fault.node);
      const node = labInfo.nodes[fault.node - 1];
      if (node) await resetNodeFiles(ctx.dir, [node], ctx.freshHostname);
      rmSync(
        join(ctx.dir, 'nodes', String(fault.node), 'snap', 'current', 'credentials', 'cluster-tokens.txt'),
        {
          force: true,
        },
      );
      await ctx.admin('replaceVm', { node: fault.node });
      ctx.save();
      return;
    }
    case 'sudoPassword': {
      const targets = fault.node === undefined ? allHosts(labInfo).map((n) => n.index) : [fault.node];
      for (const index of targets) {
        writeFileSync(
          join(ctx.dir, 'nodes', String(index), 'etc-upper', 'sudoers'),
          sudoersText(layout, !fault.required),
          {
            mode: 0o440,
          },
        );
      }
      if (fault.node === undefined) {
        labInfo.sudoRequiresPassword = fault.required;
        ctx.save();
      }
      return;
    }
  }
}

/** sshd restarts with a new host key; `info()` and the lab's known_hosts follow. */
async function rekey(ctx: FaultContext, index: number): Promise<void> {
  const plan = ctx.plan(index);
  const keyPath = join(ctx.dir, 'keys', `host-${index}_ed25519`);
  await sshKeygen(keyPath, `root@${ctx.name}-${index}`);
  writeFileSync(join(plan.dir, 'ssh_host_ed25519_key'), readFileSync(keyPath), { mode: 0o600 });
  await killSshd(plan);
  await startSshd(ctx.layout, plan);
  const key = readHostKey(keyPath);
  const node = allHosts(ctx.info).find((n) => n.index === index);
  if (node) {
    node.hostPublicKey = key.publicKey;
    node.hostKeyFingerprint = key.fingerprint;
  }
  writeKnownHosts(ctx.info.knownHostsPath, allHosts(ctx.info));
  ctx.save();
}
