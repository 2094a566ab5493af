// What OpenSSH decides from the workstation it runs on, decided the same way here for Linux, macOS and
// Windows: which agent to ask, the default user, where `~` and known_hosts are, and which private keys are
// too open to use. Pure: the platform comes in as a value, so each convention is unit-tested anywhere.
import * as os from 'node:os';
import * as path from 'node:path';

export interface Workstation {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** The local account's login name. */
  username: string;
}

export function thisWorkstation(): Workstation {
  return {
    platform: process.platform,
    env: process.env,
    homeDir: os.homedir(),
    username: os.userInfo().username,
  };
}

function pathOf(w: Workstation): path.PlatformPath {
  return w.platform === 'win32' ? path.win32 : path.posix;
}

/** OpenSSH for Windows' agent (the Windows service) listens on this named pipe. */
export const WINDOWS_OPENSSH_AGENT = '\\\\.\\pipe\\openssh-ssh-agent';

/**
 * The agent to ask, as ssh2 takes it: SSH_AUTH_SOCK wherever it is set (a socket path, a Windows pipe, or
 * `pageant` for PuTTY's agent); otherwise Windows' OpenSSH agent pipe on Windows, and none elsewhere.
 */
export function defaultAgent(w: Workstation): string | undefined {
  const sock = w.env.SSH_AUTH_SOCK?.trim();
  if (sock) return sock;
  return w.platform === 'win32' ? WINDOWS_OPENSSH_AGENT : undefined;
}

const POSIX_USER = /^[a-z_][a-z0-9_.-]{0,31}\$?$/i;

/**
 * The user when the spec names none: the local login name, as OpenSSH does — but only when a Linux VM can
 * have such a user (a Windows account like "Jane Doe" cannot), otherwise a clear error asks for ssh.user.
 */
export function defaultUser(w: Workstation): string {
  if (POSIX_USER.test(w.username)) return w.username;
  throw new Error(
    `The spec names no ssh.user and your local account name "${w.username}" cannot be a user on the VMs: set ssh.user in cluster.yaml (the OVA's user, for example).`,
  );
}

/** `~`, `~/…` and (on Windows) `~\…` under the home directory; other paths as written. */
export function expandHome(file: string, w: Workstation): string {
  const p = pathOf(w);
  if (file === '~') return w.homeDir;
  if (file.startsWith('~/') || (w.platform === 'win32' && file.startsWith('~\\')))
    return p.join(w.homeDir, file.slice(2));
  return file;
}

/** The user's known_hosts, where OpenSSH keeps it on this platform. */
export function userKnownHostsFile(w: Workstation): string {
  return pathOf(w).join(w.homeDir, '.ssh', 'known_hosts');
}

/**
 * The command line's own known_hosts (the keys `--accept-new-host-keys` recorded), in the platform's folder
 * for per-user settings: $XDG_CONFIG_HOME (or ~/.config) on Linux, ~/Library/Application Support on macOS,
 * %APPDATA% on Windows. The editor keeps its own in VS Code's storage, whose place depends on the VS Code
 * install, so the two are separate stores; both read the user's known_hosts.
 */
export function cliKnownHostsFile(w: Workstation): string {
  const p = pathOf(w);
  const base =
    w.platform === 'win32'
      ? (w.env.APPDATA ?? p.join(w.homeDir, 'AppData', 'Roaming'))
      : w.platform === 'darwin'
        ? p.join(w.homeDir, 'Library', 'Application Support')
        : w.env.XDG_CONFIG_HOME && p.isAbsolute(w.env.XDG_CONFIG_HOME)
          ? w.env.XDG_CONFIG_HOME
          : p.join(w.homeDir, '.config');
  return p.join(base, 'gateway-cluster', 'known_hosts');
}

/** The default private keys OpenSSH tries, in its order. */
export function defaultKeyFiles(w: Workstation): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => pathOf(w).join(w.homeDir, '.ssh', name));
}

/**
 * Why OpenSSH would refuse a private key file's permissions ("UNPROTECTED PRIVATE KEY FILE!"), or undefined.
 * Only POSIX modes say it; on Windows access is by ACL, which OpenSSH checks itself and a mode cannot tell.
 */
export function keyFileTooOpen(mode: number, w: Workstation): string | undefined {
  if (w.platform === 'win32') return undefined;
  const bits = mode & 0o777;
  if ((bits & 0o077) === 0) return undefined;
  return `its permissions ${bits.toString(8).padStart(4, '0')} let others read it; run chmod 600 on it (OpenSSH refuses such a key too)`;
}
