// Interfaces through which the SSH layer meets its host (editor, tests, CLI): no vscode here.
import type { KnownHostsStore } from './known-hosts';
import type { Masker } from './masker';
import type { Clock } from '../timing';

/** Where and how to reach one node. */
export interface RemoteNode {
  /** The node's name for messages (the spec hostname). */
  name: string;
  /** Address to connect to (the spec address). */
  address: string;
  /** Default 22. */
  port?: number;
  /** Default: the local user's name, as ssh does. */
  user?: string;
  /** As written in the spec; `~` is expanded. Undefined: agent, then the default keys in ~/.ssh. */
  identityFile?: string;
  /** Key in the SecretStore holding the login password. */
  passwordSecret?: string;
  /** Key in the SecretStore holding the sudo password (falls back to passwordSecret). */
  sudoPasswordSecret?: string;
}

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
}

export interface HostKeyQuestion {
  node: string;
  address: string;
  port: number;
  keyType: string;
  /** 'SHA256:...' as ssh-keygen -l prints it. */
  fingerprint: string;
}

export interface RemotePrompts {
  /** Unknown host key: show the fingerprint, return true to trust it. */
  confirmHostKey(question: HostKeyQuestion): Promise<boolean>;
  /** Passphrase of an encrypted identity file; undefined means the user cancelled. */
  askPassphrase?(question: { node: string; keyPath: string }): Promise<string | undefined>;
}

export type LogSink = (line: string) => void;

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export type RemoteCommand = ReadonlyArray<string | Buffer> | { script: string };

export interface ExecOptions {
  /** Written to the command's stdin, then stdin is closed. */
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Run as root: `sudo -n` first, then `sudo -S` with the password from the SecretStore over stdin. */
  sudo?: boolean | { passwordSecret: string };
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /**
   * The output carries credentials (e.g. `microk8s config`): no output line reaches the log, and errors
   * (timeout, lost link) carry none of it. The result and the line callbacks still get it.
   */
  secretOutput?: boolean;
}

/** What an SSH connection (and the pool) needs from its host. */
export interface ConnectionDeps {
  knownHosts: KnownHostsStore;
  prompts: RemotePrompts;
  secrets: SecretStore;
  masker: Masker;
  log?: LogSink;
  /** Default process.env.SSH_AUTH_SOCK. Null disables the agent. */
  agentSocket?: string | null;
  /** Home directory for `~` and the default keys; default os.homedir(). */
  homeDir?: string;
  /** TCP connect, then handshake with authentication (prompts excluded); default 10 s each. */
  connectTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** The clock for timeouts and idle times; tests pass a fake one. Default: the real clock. */
  clock?: Clock;
}
