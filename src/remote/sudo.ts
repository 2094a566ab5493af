// Running a command as root: `sudo -n` when the node allows it, otherwise `sudo -S` with the password from
// the secret store on stdin (never on the command line). Whether a password is needed is probed once.
import { shellQuote } from './quote';
import type { NodeScope } from './scope';
import type { ExecOptions, ExecResult, SecretStore } from './types';

export interface SudoCommand {
  command: string;
  /** The password line, written to stdin before anything else. */
  stdinPrefix?: string;
}

export class Sudo {
  private needsPassword: boolean | undefined;

  constructor(
    private readonly scope: NodeScope,
    private readonly secrets: SecretStore,
    /** Runs `sudo -n true` on the node, plainly. */
    private readonly probe: () => Promise<ExecResult>,
  ) {}

  /** `commandText` wrapped to run as root. */
  async wrap(commandText: string, sudo: NonNullable<ExecOptions['sudo']>): Promise<SudoCommand> {
    const { scope } = this;
    const asRoot = `sh -c ${shellQuote(commandText)}`;
    if (this.needsPassword === undefined) this.needsPassword = (await this.probe()).code !== 0;
    if (!this.needsPassword) return { command: `sudo -n -- ${asRoot}` };
    const secretKey =
      typeof sudo === 'object'
        ? sudo.passwordSecret
        : (scope.node.sudoPasswordSecret ?? scope.node.passwordSecret);
    const password = secretKey ? await this.secrets.get(secretKey) : undefined;
    if (password === undefined) {
      throw scope.error(
        'sudo',
        `sudo on ${scope.where()} needs a password and none is stored` +
          (secretKey ? ` (secret "${secretKey}")` : '') +
          '.',
      );
    }
    scope.masker.register(password);
    // -k: always read the password, so it never lands on the command's own stdin; -p '': no prompt text.
    return { command: `sudo -k -S -p '' -- ${asRoot}`, stdinPrefix: password + '\n' };
  }
}
