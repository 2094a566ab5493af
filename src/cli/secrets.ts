// The CLI's secret storage: the secrets file's values and what the user typed, in this process's memory only
// (the kubeconfig a run fetches too). Before a run, every secret the operation needs must be there: on a
// terminal a missing one is asked for without echo, otherwise the command ends with exit 2 naming it.
import { internalSecretKey, type ClusterContext, type SecretBackend } from '../clusters';
import { requiredSecrets, type OperationPlanName } from '../ops';
import { CliError, EXIT } from './exit';
import { SECRETS_FILE_ENV, SUDO_PASSWORD_KEY } from './secrets-file';
import type { Terminal } from './terminal';

export class MemorySecretBackend implements SecretBackend {
  readonly persistent = false;
  private readonly values = new Map<string, string>();
  /** Asked for a key nothing holds (the sudo password, on a terminal); its answer is kept. */
  onMissing: ((key: string) => Promise<string | undefined>) | undefined;
  private readonly asking = new Map<string, Promise<string | undefined>>();

  async get(key: string): Promise<string | undefined> {
    const value = this.values.get(key);
    if (value !== undefined || !this.onMissing) return value;
    let answer = this.asking.get(key);
    if (!answer) {
      answer = this.onMissing(key);
      this.asking.set(key, answer);
    }
    const got = await answer;
    if (got !== undefined) this.values.set(key, got);
    return got;
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** Puts the file's values into the cluster's secrets (each registered with its masker). */
export async function storeFileSecrets(context: ClusterContext, values: ReadonlyMap<string, string>) {
  for (const [name, value] of values) {
    if (name === SUDO_PASSWORD_KEY) await context.secrets.storeInternal('sudo-password', value);
    else await context.secrets.store(name, value);
  }
}

/**
 * Makes sure every secret `operation` needs is there: asks on a terminal, else throws CliError (exit 2)
 * naming each missing key; a question the user cancels is a cancel (exit 130).
 */
export async function requireSecrets(
  context: ClusterContext,
  operation: OperationPlanName,
  terminal: Terminal,
): Promise<void> {
  const missing: string[] = [];
  for (const input of requiredSecrets(operation, context.model)) {
    if (await context.secrets.get(input.name)) continue;
    if (!terminal.interactive) {
      missing.push(`"${input.name}" (${input.what})`);
      continue;
    }
    const value = await terminal.askHidden(`${input.what} ("${input.name}"): `);
    if (value === undefined) throw new CliError(EXIT.cancelled, 'cancelled; nothing was run.');
    if (value === '') throw new CliError(EXIT.usage, `no value given for "${input.name}"; nothing was run.`);
    await context.secrets.store(input.name, value);
  }
  if (missing.length) {
    throw new CliError(
      EXIT.usage,
      `${operation} needs the secret${missing.length === 1 ? '' : 's'} ${missing.join(', ')}; nothing was run. ` +
        `Put ${missing.length === 1 ? 'it' : 'them'} in the secrets file (--secrets-file FILE or $${SECRETS_FILE_ENV}), ` +
        'or run on a terminal to be asked.',
    );
  }
}

/**
 * On a terminal, the sudo password is asked for when a node's `sudo -n` is refused and neither the file nor
 * the spec's SSH password gives one (the SSH layer falls back to that password itself).
 */
export function askSudoPasswordWhenNeeded(
  backend: MemorySecretBackend,
  context: ClusterContext,
  terminal: Terminal,
  onCancel: () => void,
): void {
  if (!terminal.interactive || context.model.ssh.passwordSecret) return;
  const sudoKey = internalSecretKey(context.identity, 'sudo-password');
  backend.onMissing = async (key) => {
    if (key !== sudoKey) return undefined;
    const value = await terminal.askHidden(`sudo password on the nodes ("${SUDO_PASSWORD_KEY}"): `);
    if (value === undefined) onCancel();
    else context.masker.register(value);
    return value || undefined;
  };
}
