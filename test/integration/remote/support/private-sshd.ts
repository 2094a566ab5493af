// A private Debian sshd on 127.0.0.1 (high port, own host key, own config) for SSH-layer tests that do not
// need the lab. Started and stopped by PID; never touches the system's sshd.
import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PrivateSshd {
  dir: string;
  port: number;
  user: string;
  clientKeyPath: string;
  /** Client key encrypted with `passphrase`. */
  encryptedKeyPath: string;
  passphrase: string;
  /** A key that is not authorised. */
  wrongKeyPath: string;
  hostPublicKey: string;
  /** Password the fake `sudo` on PATH expects over stdin (`sudo -S`). */
  sudoPassword: string;
  /** Every argv the fake sudo was called with, one per line. */
  sudoLog: string;
  start(): Promise<void>;
  /** Kills the listener and every connection it forked (its descendants, found by PID). */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    for (const [child, parent] of parentOf) {
      if (parent === pid) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

export async function createPrivateSshd(): Promise<PrivateSshd> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-sshd-'));
  await fs.chmod(dir, 0o755);
  const port = await freePort();
  const keygen = (file: string, passphrase = '') =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', '', '-f', file]);
  keygen(path.join(dir, 'host_ed25519'));
  keygen(path.join(dir, 'client'));
  keygen(path.join(dir, 'wrong'));
  const passphrase = 'correct horse battery';
  keygen(path.join(dir, 'client_enc'), passphrase);
  const authorized =
    (await fs.readFile(path.join(dir, 'client.pub'), 'utf8')) +
    (await fs.readFile(path.join(dir, 'client_enc.pub'), 'utf8'));
  await fs.writeFile(path.join(dir, 'authorized_keys'), authorized, { mode: 0o600 });
  const sudoPassword = 'sudo-pw-Zq9!';
  const bin = path.join(dir, 'bin');
  await fs.mkdir(bin);
  await fs.writeFile(path.join(dir, 'sudo_password'), sudoPassword + '\n', { mode: 0o600 });
  // A stand-in sudo: -n fails (a password is needed), -S reads one line from stdin and checks it.
  await fs.writeFile(
    path.join(bin, 'sudo'),
    `#!/bin/sh
echo "$*" >> ${dir}/sudo.log
stdin_pw=no
while [ $# -gt 0 ]; do
  case "$1" in
    -n) [ -e ${dir}/sudo_nopasswd ] || { echo 'sudo: a password is required' >&2; exit 1; } ;;
    -S) stdin_pw=yes ;;
    -k) ;;
    -p) shift ;;
    --) shift; break ;;
    *) break ;;
  esac
  shift
done
if [ "$stdin_pw" = yes ]; then
  IFS= read -r pw
  [ "$pw" = "$(cat ${dir}/sudo_password)" ] || { echo 'sudo: incorrect password' >&2; exit 1; }
fi
exec "$@"
`,
    { mode: 0o755 },
  );
  await fs.writeFile(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${dir}/host_ed25519`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      'UsePAM no',
      'PermitRootLogin yes',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PrintMotd no',
      'Subsystem sftp internal-sftp',
      `SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin`,
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  await fs.mkdir('/run/sshd', { recursive: true });
  await fs.writeFile(path.join(dir, 'empty_bashrc'), '');
  let child: ChildProcess | undefined;

  const waitListening = async () => {
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('private sshd did not start');
  };

  const sshd: PrivateSshd = {
    dir,
    port,
    user: os.userInfo().username,
    clientKeyPath: path.join(dir, 'client'),
    encryptedKeyPath: path.join(dir, 'client_enc'),
    passphrase,
    wrongKeyPath: path.join(dir, 'wrong'),
    hostPublicKey: (await fs.readFile(path.join(dir, 'host_ed25519.pub'), 'utf8')).trim(),
    sudoPassword,
    sudoLog: path.join(dir, 'sudo.log'),
    async start() {
      // In a private mount namespace, an empty .bashrc hides the login user's shell init (pyenv and the
      // like add ~130 ms to every command), as the lab does.
      const rc = path.join(os.homedir(), '.bashrc');
      const script = existsSync(rc)
        ? `mount --bind ${dir}/empty_bashrc ${rc} && exec ${SSHD} -D -e -f ${dir}/sshd_config`
        : `exec ${SSHD} -D -e -f ${dir}/sshd_config`;
      child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.on('data', () => undefined);
      await waitListening();
    },
    async kill() {
      if (!child?.pid) return;
      const pids = [child.pid, ...descendants(child.pid)];
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      child = undefined;
      await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      await sshd.kill();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  await sshd.start();
  return sshd;
}

/** Whether any process on this machine has exactly this command line (argv joined by spaces). */
export function processRunning(cmdline: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const raw = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (raw.split('\0').filter(Boolean).join(' ') === cmdline) return true;
    } catch {
      // Gone.
    }
  }
  return false;
}
