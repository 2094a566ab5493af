// The secrets a wizard asks for, and where each is kept: under the name the spec gives it, in its cluster's
// own part of the secret storage. Values are stored and checked for presence; they never come back out here.
import type { ClusterContext } from '../clusters';
import type { InputKey, WizardKind } from './protocol';

export const INPUT_LABELS: Record<InputKey, string> = {
  sudoPassword: 'Sudo password on the nodes',
  managerPassword: 'Gateway Manager default password',
  activationToken: 'Activation token (Setup › Management Profiles)',
};

/** Which inputs each wizard asks for, and whether it cannot start without them. */
export function inputsFor(kind: WizardKind | 'fix'): Array<{ key: InputKey; required: boolean }> {
  switch (kind) {
    case 'preflight':
    case 'join':
    case 'fix':
      // Only when `sudo -n` is refused; the preflight finds out and then asks for it.
      return [{ key: 'sudoPassword', required: false }];
    case 'deploy':
      return [{ key: 'managerPassword', required: true }];
    case 'register':
      return [{ key: 'activationToken', required: true }];
    case 'add-node':
      // A resize upgrades the Gateway Manager with the HA values: its password is needed then.
      return [
        { key: 'sudoPassword', required: false },
        { key: 'managerPassword', required: false },
      ];
    case 'remove-node':
    case 'replace-node':
      return [{ key: 'sudoPassword', required: false }];
    case 'drill':
      return [];
  }
}

export interface InputSecrets {
  /** The name the input is kept under, as shown to the user ('' when the spec names none). */
  nameOf(key: InputKey): string;
  isStored(key: InputKey): Promise<boolean>;
  store(key: InputKey, value: string): Promise<void>;
}

/** The sudo password has no name in the spec: it is the cluster's own entry, shown under this label. */
const SUDO_ENTRY_LABEL = 'sudo password of this cluster';

export function inputSecrets(context: ClusterContext): InputSecrets {
  const model = context.model;
  // The login password doubles as the sudo password when the spec names one (the SSH layer falls back to it).
  const specName = (key: InputKey): string | undefined => {
    switch (key) {
      case 'sudoPassword':
        return model.ssh.passwordSecret || undefined;
      case 'managerPassword':
        return model.gatewayManager.passwordSecret || undefined;
      case 'activationToken':
        return model.registration?.activationTokenSecret || undefined;
    }
  };
  return {
    nameOf: (key) => specName(key) ?? (key === 'sudoPassword' ? SUDO_ENTRY_LABEL : ''),
    isStored: async (key) => {
      const name = specName(key);
      if (name) return Boolean(await context.secrets.get(name));
      return key === 'sudoPassword' && Boolean(await context.secrets.getInternal('sudo-password'));
    },
    store: async (key, value) => {
      const name = specName(key);
      if (name) await context.secrets.store(name, value);
      else if (key === 'sudoPassword') await context.secrets.storeInternal('sudo-password', value);
      else throw new Error('The spec names no secret for this input.');
    },
  };
}
