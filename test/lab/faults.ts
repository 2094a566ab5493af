// Faults the lab can inject (LabApi.inject): the controller's (MicroK8s stopped, hung commands, a restarted
// API server, the Gateway Manager's answers) and the host's (a link down, sshd killed or re-keyed, sudo
// asking for a password).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fault, LabInfo, LabNode } from './api';
import { killSshd, setLink, startSshd, sudoersText, type LabLayout, type NodePlan } from './nodes';
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
      await ctx.admin('inject', { ...fault });
      return;
    case 'stopGateway':
    case 'startGateway': {
      const verb = fault.kind === 'stopGateway' ? 'stop' : 'start';
      const result = await inHost(ctx.dir, fault.node, layout.binDir, ['systemctl', verb, 'mgmt_gateway']);
      if (result.code !== 0) throw new Error(`lab: systemctl ${verb} mgmt_gateway failed: ${result.stderr}`);
      return;
    }
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
    case 'changeHostKey': {
      const plan = ctx.plan(fault.node);
      const keyPath = join(ctx.dir, 'keys', `host-${fault.node}_ed25519`);
      await sshKeygen(keyPath, `root@${ctx.name}-${fault.node}`);
      writeFileSync(join(plan.dir, 'ssh_host_ed25519_key'), readFileSync(keyPath), { mode: 0o600 });
      await killSshd(plan);
      await startSshd(layout, plan);
      const key = readHostKey(keyPath);
      const node = allHosts(labInfo).find((n) => n.index === fault.node);
      if (node) {
        node.hostPublicKey = key.publicKey;
        node.hostKeyFingerprint = key.fingerprint;
      }
      writeKnownHosts(labInfo.knownHostsPath, allHosts(labInfo));
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
