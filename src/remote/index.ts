// Public API of the SSH layer. Never imports vscode: prompts and secrets come in through interfaces.
export { shellQuote, joinArgv } from './quote';
export { Masker, MASK } from './masker';
export {
  KnownHostsStore,
  fingerprintOf,
  keyTypeOf,
  knownHostsName,
  hostFieldMatches,
  entriesFor,
  checkHostKey,
} from './known-hosts';
export type { KnownHostEntry, HostKeyCheck, KnownHostsOptions } from './known-hosts';
export { RemoteError } from './errors';
export { parseMicrok8sStatus } from './microk8s-status';
export type { Microk8sStatus } from './microk8s-status';
export type { RemoteErrorKind } from './errors';
export { SshConnection } from './connection';
export { preferredHostKeyAlgorithms } from './host-key';
export { probeHostKey } from './probe-host-key';
export type { ProbeTarget } from './probe-host-key';
export type { ShellChannel, ShellSize } from './shell';
export { SshPool } from './pool';
export { remoteNodeOf } from './node';
export type { SpecNodeLike } from './node';
export type { PoolOptions, SshAccess } from './pool';
export { HostKeyAnswers } from './host-key-answers';
export type { DownloadOptions } from './sftp';
export type { Fetched } from './sftp-fetch';
export type {
  RemoteNode,
  SecretStore,
  HostKeyQuestion,
  RemotePrompts,
  LogSink,
  ExecResult,
  RemoteCommand,
  ExecOptions,
  ConnectionDeps,
} from './types';
