// Errors of the SSH layer: each names the node and address, and its message is already masked.

export type RemoteErrorKind =
  | 'connect'
  | 'auth'
  | 'hostKeyRefused'
  | 'hostKeyChanged'
  | 'timeout'
  | 'cancelled'
  | 'connectionLost'
  | 'sudo'
  | 'sftp';

export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  constructor(
    readonly kind: RemoteErrorKind,
    readonly node: string,
    readonly address: string,
    message: string,
    /** Output captured before the failure (masked), for timeouts and dropped connections. */
    readonly partialOutput?: { stdout: string; stderr: string },
  ) {
    super(message);
  }
}
