// The files of a lab node's private views: its /etc overlay (hosts, passwd, shadow, sudoers, the lab's
// node.json), home, /tmp, /var/log, MicroK8s' snap folder and its sshd configuration.
import { chmodSync, chownSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabNode } from './api';
import { run } from './sys';
import type { LabLayout, NodePlan } from './nodes';
import { SNAP_REVISION } from './controller/cli/inspect';

export interface NodeFiles {
  passwd: string;
  shadow: string;
  group: string;
  sudoers: string;
  nodeJson: string;
}

export function etcHosts(hostname: string, peers: Array<{ address: string; hostname: string }>): string {
  const lines = ['127.0.0.1\tlocalhost', `127.0.1.1\t${hostname}`];
  for (const peer of peers) lines.push(`${peer.address}\t${peer.hostname}`);
  lines.push('', '# The following lines are desirable for IPv6 capable hosts');
  lines.push('::1     ip6-localhost ip6-loopback', 'ff02::1 ip6-allnodes', 'ff02::2 ip6-allrouters', '');
  return lines.join('\n');
}

export function sudoersText(layout: LabLayout, noPassword: boolean): string {
  return [
    'Defaults\tenv_reset',
    `Defaults\tsecure_path="${layout.binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"`,
    'root\tALL=(ALL:ALL) ALL',
    `${layout.user}\tALL=(ALL:ALL) ${noPassword ? 'NOPASSWD: ' : ''}ALL`,
    '',
  ].join('\n');
}

/** Writes a node's private /etc overlay, home, /tmp, /var/log and sshd config. */
export function prepareNodeFiles(
  layout: LabLayout,
  node: NodePlan,
  files: NodeFiles,
  hosts: string,
  clientAuthorizedKeys: string,
): void {
  rmSync(node.dir, { recursive: true, force: true });
  for (const sub of [
    'etc-upper/gc-lab',
    'etc-upper/profile.d',
    'etc-work',
    'home',
    'tmp',
    'varlog',
    `snap/${SNAP_REVISION}/args`,
    `snap/${SNAP_REVISION}/credentials`,
  ]) {
    mkdirSync(join(node.dir, sub), { recursive: true });
  }
  // As the snap has it: /var/snap/microk8s/REVISION, and `current` pointing at it.
  symlinkSync(SNAP_REVISION, join(node.dir, 'snap', 'current'));
  const etc = join(node.dir, 'etc-upper');
  writeFileSync(join(etc, 'hostname'), node.hostname + '\n');
  writeFileSync(join(etc, 'hosts'), hosts);
  writeFileSync(join(etc, 'passwd'), files.passwd);
  writeFileSync(join(etc, 'group'), files.group);
  writeFileSync(join(etc, 'shadow'), files.shadow, { mode: 0o640 });
  writeFileSync(join(etc, 'sudoers'), files.sudoers, { mode: 0o440 });
  writeFileSync(join(etc, 'resolv.conf'), '# lab node: no DNS, names come from /etc/hosts\n');
  writeFileSync(join(etc, 'gc-lab', 'node.json'), files.nodeJson);
  writeFileSync(
    join(etc, 'profile.d', 'gc-lab.sh'),
    `# The lab's fakes (microk8s, hostnamectl) come first, as /snap/bin would.\nexport PATH="${layout.binDir}:$PATH"\n`,
  );
  chmodSync(join(node.dir, 'tmp'), 0o1777);
  const home = join(node.dir, 'home');
  // An empty .bashrc: a heavy shell init costs ~130 ms on every command.
  writeFileSync(join(home, '.bashrc'), '');
  writeFileSync(join(home, '.profile'), '');
  chownSync(home, layout.uid, layout.uid);
  chownSync(join(home, '.bashrc'), layout.uid, layout.uid);
  chownSync(join(home, '.profile'), layout.uid, layout.uid);
  writeContainerdEnv(node.dir);
  writeFileSync(join(node.dir, 'authorized_keys'), clientAuthorizedKeys, { mode: 0o644 });
  writeFileSync(join(node.dir, 'sshd_config'), sshdConfig(layout, node));
}

/**
 * MicroK8s' containerd environment file (/var/snap/microk8s/current/args/containerd-env on the node), as the
 * snap ships it: root-owned, world-readable; deploy appends the proxy lines with sudo.
 */
export function writeContainerdEnv(nodeDirectory: string): void {
  const args = join(nodeDirectory, 'snap', 'current', 'args');
  mkdirSync(args, { recursive: true });
  writeFileSync(
    join(args, 'containerd-env'),
    [
      '# To start containerd behind a proxy you need to add an HTTPS_PROXY',
      '# environment variable in this file. HTTPS_PROXY is of the following form:',
      '# HTTPS_PROXY=http://username:password@proxy:port/',
      '# where username: and password@ are optional. eg:',
      '#',
      '# HTTPS_PROXY=http://squid.internal:3128',
      '# NO_PROXY=10.1.0.0/16,10.152.183.0/24',
      '#',
      '# Remember to restart MicroK8s after adding or removing the proxy.',
      '',
      '# Attempt to change the maximum number of open file descriptors',
      '# this get inherited to the running containers',
      '#',
      'ulimit -n 65536 || true',
      '',
      '# Attempt to change the maximum locked memory limit',
      '# this get inherited to the running containers',
      '#',
      'ulimit -l 16384 || true',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
}

export function sshdConfig(layout: LabLayout, node: NodePlan): string {
  return [
    `ListenAddress ${node.address}:22`,
    `HostKey ${join(node.dir, 'ssh_host_ed25519_key')}`,
    `PidFile ${join(node.dir, 'sshd.pid')}`,
    'UsePAM no',
    'PermitRootLogin no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    `AuthorizedKeysFile ${join(node.dir, 'authorized_keys')}`,
    `AllowUsers ${layout.user}`,
    'PrintMotd no',
    'PrintLastLog no',
    'LogLevel VERBOSE',
    'MaxStartups 200:30:400',
    'MaxSessions 100',
    'Subsystem sftp internal-sftp',
    `SetEnv GC_LAB=${layout.name} GC_LAB_NODE=${node.index} PATH=${layout.binDir}:/usr/local/bin:/usr/bin:/bin`,
    '',
  ].join('\n');
}

/**
 * Back to a state's node files: hostname (`freshHostname` for every node in `fresh`, else the spec's),
 * /etc/hosts (every peer once joined), the snap's containerd environment; the node's hostname follows.
 */
export async function resetNodeFiles(dir: string, nodes: LabNode[], freshHostname?: string): Promise<void> {
  const peers = nodes.map((n) => ({ address: n.address, hostname: n.specHostname }));
  await Promise.all(
    nodes.map(async (node) => {
      const hostname = freshHostname ?? node.specHostname;
      const nodeDirectory = join(dir, 'nodes', String(node.index));
      const etc = join(nodeDirectory, 'etc-upper');
      writeFileSync(join(etc, 'hostname'), hostname + '\n');
      const others = freshHostname ? [] : peers.filter((p) => p.address !== node.address);
      writeFileSync(join(etc, 'hosts'), etcHosts(hostname, others));
      writeContainerdEnv(nodeDirectory);
      const holder = readFileSync(join(nodeDirectory, 'holder.pid'), 'utf8').trim();
      await run('nsenter', ['-t', holder, '-u', 'hostname', hostname]);
      node.hostname = hostname;
    }),
  );
}
