// The CLI's exit statuses (docs/cli.md) and the error that ends a command with one of them.

export const EXIT = {
  /** Succeeded, including "everything already done". */
  ok: 0,
  /** A step failed (validate: the spec has errors). */
  failed: 1,
  /** Usage, an invalid spec, a missing secret or confirmation: nothing ran. */
  usage: 2,
  /** A host key is unknown or changed. */
  hostKey: 3,
  /** Another operation holds the cluster's lock. */
  locked: 4,
  /** Cancelled by SIGINT or SIGTERM (128 + SIGINT's number, as shells report it). */
  cancelled: 130,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** Ends a command with `status`; its message is printed as it is (it never holds a secret). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly status: ExitStatus,
    message: string,
  ) {
    super(message);
  }
}
