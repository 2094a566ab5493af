// The fake `microk8s inspect`, after canonical/microk8s scripts/inspect.sh (and its wrapper, which runs the
// script under `sudo -E`): the same progress lines (kubelite-era services, `FAIL:` for a service that is not
// running and exit 1, the dqlite section's usual `cp: cannot stat … localnode.yaml`), and a gzipped tarball of
// the report's layout — per-service journal.log and systemctl.log, args/, apparmor/, sys/, network/, k8s/,
// dqlite/ (members only) and bom.json — at /var/snap/microk8s/<revision>/inspection-report-TIME.tar.gz. The
// contents are the lab's own (journal lines are generated, sized by `inspectLogLines`).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KUBELET_VERSION } from '../types';
import type { CommandContext } from './context';

/** The snap revision the lab's MicroK8s runs (`microk8s version` says it too). */
export const SNAP_REVISION = '7394';

const SERVICES = [
  ['cluster-agent', 0.05],
  ['containerd', 0.25],
  ['kubelite', 1],
  ['k8s-dqlite', 0.25],
  ['apiserver-kicker', 0.05],
] as const;

const SYS_LINES = [
  'processes list',
  'disk usage information',
  'memory usage information',
  'server uptime',
  'openSSL information',
  'snap list',
  'VM name (or none)',
  'current linux distribution',
  'asnycio usage and limits',
  'inotify max_user_instances and max_user_watches',
  'network configuration',
];

const RED = '\u001b[31m';
const RESET = '\u001b[0m';

function stamp(at = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}_${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/** journalctl-style lines: a timestamp, the host, the unit and a message with the ids a real log carries. */
function journal(host: string, service: string, lines: number): string {
  const out: string[] = [];
  const start = Date.now() - lines * 200;
  const ids = randomBytes(lines * 8).toString('hex');
  for (let i = 0; i < lines; i++) {
    const at = new Date(start + i * 200).toUTCString().slice(5, 25);
    const id = ids.slice(i * 16, i * 16 + 16);
    out.push(
      `${at} ${host} microk8s.daemon-${service}[${1000 + (i % 97)}]: I${String(i % 1000).padStart(4, '0')} ${id} ${service}.go:${100 + (i % 400)}] "Observed" pod="default/${service}-${id.slice(0, 5)}" uid="${id}-${id.slice(0, 4)}"`,
    );
  }
  return `${out.join('\n')}\n`;
}

function tar(cwd: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('tar', ['-czf', file, 'inspection-report'], { cwd, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited ${code}`))));
  });
}

export async function inspect(ctx: CommandContext): Promise<number> {
  const { io, node, config, uid } = ctx;
  if (uid !== 0) {
    // The wrapper runs `sudo -E … inspect.sh`: without a terminal, sudo cannot ask.
    io.err(
      'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n',
    );
    return 1;
  }
  const snapData = join(config.dir, 'nodes', String(node.index), 'snap', SNAP_REVISION);
  const dump = join(snapData, 'inspection-report');
  rmSync(dump, { recursive: true, force: true });
  mkdirSync(dump, { recursive: true });
  const running = node.running;
  const lines = ['Inspecting system', 'Inspecting Certificates', 'Inspecting services'];
  const base = config.inspectLogLines ?? 20_000;
  for (const [service, share] of SERVICES) {
    const unit = `snap.microk8s.daemon-${service}`;
    mkdirSync(join(dump, unit));
    writeFileSync(join(dump, unit, 'journal.log'), journal(node.hostname, service, Math.round(base * share)));
    writeFileSync(
      join(dump, unit, 'systemctl.log'),
      `● ${unit}.service - Service for snap application microk8s.daemon-${service}\n     Loaded: loaded (/etc/systemd/system/${unit}.service; enabled; vendor preset: enabled)\n     Active: ${running ? 'active (running)' : 'inactive (dead)'}\n`,
    );
    lines.push(
      running
        ? `  Service ${unit} is running`
        : `${RED} FAIL: ${RESET} Service ${unit} is not running\nFor more details look at: sudo journalctl -u ${unit}`,
    );
  }
  lines.push('  Copy service arguments to the final report tarball');
  cpSync(join(snapData, 'args'), join(dump, 'args'), { recursive: true });
  lines.push('Inspecting AppArmor configuration', 'Gathering system information');
  mkdirSync(join(dump, 'apparmor'));
  writeFileSync(join(dump, 'apparmor', 'dmesg'), '');
  writeFileSync(join(dump, 'apparmor', 'aa-status'), 'apparmor module is loaded.\n');
  mkdirSync(join(dump, 'sys'));
  for (const [file, text] of [
    ['ps', 'UID          PID    PPID  C STIME TTY          TIME CMD\n'],
    ['disk_usage', '/dev/sda1        40G   12G   28G  30% /\n'],
    [
      'memory_usage',
      '               total        used        free\nMem:            7958        3210        4748\n',
    ],
    ['uptime', ' 12:00:00 up 3 days,  2:01,  0 users,  load average: 0.31, 0.25, 0.22\n'],
    ['openssl', 'OpenSSL 3.0.2 15 Mar 2022 (Library: OpenSSL 3.0.2 15 Mar 2022)\n'],
    [
      'snap-list',
      `Name      Version   Rev    Tracking     Publisher   Notes\nmicrok8s  ${KUBELET_VERSION}   ${SNAP_REVISION}   1.32/stable  canonical✓  classic\n`,
    ],
    ['vm_name', 'vmware\n'],
    ['lsb_release', 'Distributor ID:\tUbuntu\nDescription:\tUbuntu 22.04.4 LTS\n'],
  ] as const)
    writeFileSync(join(dump, 'sys', file), text);
  for (const what of SYS_LINES) lines.push(`  Copy ${what} to the final report tarball`);
  mkdirSync(join(dump, 'network'));
  for (const file of ['ip-addr', 'ip-route', 'iptables', 'iptables-S', 'iptables-L', 'ss'])
    writeFileSync(
      join(dump, 'network', file),
      file === 'ip-addr' ? `inet ${node.address}/24 scope global eth0\n` : '',
    );
  lines.push('Inspecting kubernetes cluster', '  Inspect kubernetes cluster');
  mkdirSync(join(dump, 'k8s'));
  const snapshot = running ? ctx.model.snapshot(node.index) : undefined;
  const refused =
    'The connection to the server 127.0.0.1:16443 was refused - did you specify the right host or port?\n';
  writeFileSync(join(dump, 'k8s', 'version'), running ? `Server Version: ${KUBELET_VERSION}\n` : refused);
  writeFileSync(
    join(dump, 'k8s', 'cluster-info'),
    running ? `Kubernetes control plane is running at https://127.0.0.1:16443\n` : refused,
  );
  writeFileSync(
    join(dump, 'k8s', 'cluster-info-dump'),
    snapshot ? `${JSON.stringify(snapshot, null, 1)}\n` : refused,
  );
  writeFileSync(
    join(dump, 'k8s', 'get-all'),
    snapshot
      ? snapshot.pods.map((p) => `pod/${p.name}  ${p.namespace}  ${p.phase}  ${p.nodeName}`).join('\n') + '\n'
      : refused,
  );
  writeFileSync(join(dump, 'k8s', 'get-pv'), running ? 'No resources found\n' : refused);
  writeFileSync(
    join(dump, 'k8s', 'get-pvc'),
    running ? 'No resources found in default namespace.\n' : refused,
  );
  lines.push('Inspecting dqlite', '  Inspect dqlite');
  const cluster = ctx.model.clusterOf(node.index);
  if (cluster.dqlite.has(node.address)) {
    mkdirSync(join(dump, 'dqlite'));
    const members = [...cluster.dqlite].map(
      ([address, role], i) =>
        `- Address: ${address}:19001\n  ID: ${1000 + i}\n  Role: ${role === 'voter' ? 0 : role === 'standby' ? 1 : 2}`,
    );
    writeFileSync(join(dump, 'dqlite', 'cluster.yaml'), `${members.join('\n')}\n`);
    writeFileSync(join(dump, 'dqlite', 'info.yaml'), `Address: ${node.address}:19001\nID: 1000\nRole: 0\n`);
  }
  lines.push(
    `cp: cannot stat '/var/snap/microk8s/${SNAP_REVISION}/var/kubernetes/backend/localnode.yaml': No such file or directory`,
  );
  writeFileSync(
    join(dump, 'bom.json'),
    `${JSON.stringify({ microk8s: { version: KUBELET_VERSION, revision: SNAP_REVISION }, components: { kubernetes: KUBELET_VERSION } }, null, 2)}\n`,
  );
  const name = `inspection-report-${stamp()}.tar.gz`;
  await tar(snapData, join(snapData, name));
  rmSync(dump, { recursive: true, force: true });
  lines.push(
    '',
    'Building the report tarball',
    `  Report tarball is at /var/snap/microk8s/${SNAP_REVISION}/${name}`,
  );
  io.out(`${lines.join('\n')}\n`);
  return running ? 0 : 1;
}
