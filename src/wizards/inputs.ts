// The secrets a wizard asks for: one labelled field per secret, named as the spec names it, kept in its
// cluster's own part of the secret storage. Values are stored and checked for presence; they never come back
// out here.
import type { ClusterModel } from '../cluster-spec/types';
import type { ClusterContext } from '../clusters';
import type { InputKey, WizardKind } from './protocol';
import { inputKindOf } from './protocol';

/** One field of the panel. */
export interface InputSpec {
  key: InputKey;
  label: string;
  /** Where the value is kept, as the user knows it: the spec's secret name (or the cluster's sudo entry). */
  secretName: string;
  required: boolean;
  /** What the field is for when it is optional (the placeholder). */
  optionalNote?: string;
}

/** The sudo password has no name in the spec: it is the cluster's own entry, shown under this name. */
export const SUDO_ENTRY_NAME = 'sudo password of this cluster';

/** Each distinct SSH login password secret of the spec, with the nodes that log in with it. */
function sshPasswords(model: ClusterModel): Array<{ name: string; nodes: string[] }> {
  const byName = new Map<string, string[]>();
  for (const node of model.nodes) {
    const name = node.ssh.passwordSecret ?? model.ssh.passwordSecret;
    if (name) byName.set(name, [...(byName.get(name) ?? []), node.hostname]);
  }
  return [...byName].map(([name, nodes]) => ({ name, nodes }));
}

/**
 * The fields of a wizard for this spec. SSH passwords are required by every operation that logs in over
 * SSH; the sudo password only once the preflight found that sudo asks for one (and no login password can
 * stand in for it).
 */
export function inputsFor(
  kind: WizardKind | 'fix',
  model: ClusterModel,
  options: { sudoNeeded?: boolean } = {},
): InputSpec[] {
  const inputs: InputSpec[] = [];
  const overSsh = kind !== 'register';
  const logins = overSsh ? sshPasswords(model) : [];
  for (const { name, nodes } of logins) {
    const all = nodes.length === model.nodes.length;
    inputs.push({
      key: `sshPassword:${name}`,
      label: `SSH password${all ? '' : ` for ${nodes.join(', ')}`}`,
      secretName: name,
      required: true,
    });
  }
  // Deploy needs sudo only to write containerd's proxy settings; the drill and remove-node never do.
  const sudo = kind === 'deploy' ? Boolean(model.network.proxy) : kind !== 'drill' && kind !== 'remove-node';
  if (overSsh && sudo) {
    inputs.push({
      key: 'sudoPassword',
      label: 'Sudo password on the nodes',
      secretName: SUDO_ENTRY_NAME,
      required: Boolean(options.sudoNeeded) && logins.length === 0,
      optionalNote: logins.length
        ? 'only when it differs from the SSH password'
        : 'only when sudo asks for one',
    });
  }
  if (kind === 'deploy') {
    if (model.network.proxy?.credentialsSecret) {
      inputs.push({
        key: 'proxyCredentials',
        label: 'Proxy credentials (user:password)',
        secretName: model.network.proxy.credentialsSecret,
        required: true,
      });
    }
    inputs.push({
      key: 'managerPassword',
      label: 'Gateway Manager password',
      secretName: model.gatewayManager.passwordSecret,
      required: true,
    });
  }
  // A resize (add-node to ha) upgrades the deployed Gateway Manager with the HA values: its password then.
  if (kind === 'add-node' && model.gatewayManager.passwordSecret) {
    inputs.push({
      key: 'managerPassword',
      label: 'Gateway Manager password',
      secretName: model.gatewayManager.passwordSecret,
      required: false,
      optionalNote: 'only when a resize upgrades the deployed charts',
    });
  }
  if (kind === 'register' && model.registration?.activationTokenSecret) {
    inputs.push({
      key: 'activationToken',
      label: 'Activation token (Setup › Management Profiles)',
      secretName: model.registration.activationTokenSecret,
      required: true,
    });
  }
  return inputs;
}

export interface InputSecrets {
  isStored(input: InputSpec): Promise<boolean>;
  store(input: InputSpec, value: string): Promise<void>;
}

export function inputSecrets(context: ClusterContext): InputSecrets {
  const internal = (input: InputSpec) => inputKindOf(input.key) === 'sudoPassword';
  return {
    isStored: async (input) =>
      Boolean(
        internal(input)
          ? await context.secrets.getInternal('sudo-password')
          : await context.secrets.get(input.secretName),
      ),
    store: async (input, value) => {
      if (internal(input)) await context.secrets.storeInternal('sudo-password', value);
      else await context.secrets.store(input.secretName, value);
    },
  };
}
