// The secrets a wizard asks for: one labelled field per secret, named as the spec names it, kept in its
// cluster's own part of the secret storage. Values are stored and checked for presence; they never come back
// out here.
import type { ClusterModel } from '../cluster-spec/types';
import type { ClusterContext } from '../clusters';
import { requiredSecrets, type SecretInput } from '../ops';
import type { InputKey, WizardKind } from './protocol';
import { operationOf } from './kinds';
import { inputKindOf } from './protocol';

/** One field of the panel. */
export interface InputSpec {
  key: InputKey;
  label: string;
  /** How a sentence names it ("Enter the Gateway Manager password first."). */
  noun: string;
  /** Where the value is kept, as the user knows it: the spec's secret name (or the cluster's sudo entry). */
  secretName: string;
  required: boolean;
  /** What the field is for when it is optional (the placeholder). */
  optionalNote?: string;
}

/** The sudo password has no name in the spec: it is the cluster's own entry, shown under this name. */
export const SUDO_ENTRY_NAME = 'sudo password of this cluster';

const ROLE_LABELS: Record<Exclude<SecretInput['role'], 'sshPassword'>, { key: InputKey; label: string }> = {
  managerPassword: { key: 'managerPassword', label: 'Gateway Manager password' },
  activationToken: { key: 'activationToken', label: 'Activation token (Setup › Management Profiles)' },
  proxyCredentials: { key: 'proxyCredentials', label: 'Proxy credentials (user:password)' },
  installKey: { key: 'installKey', label: 'Install key (Management Agents › Downloads and Keys)' },
  gatewayPassword: { key: 'gatewayPassword', label: 'Gateway user password (GatewayPassword)' },
  agentInstallKey: { key: 'agentInstallKey', label: "Agents' install key" },
};

/** A secret the operation needs (the engine's list, one place) as the panel's field. */
function fieldOf(input: SecretInput, model: ClusterModel): InputSpec {
  if (input.role === 'sshPassword') {
    const all = (input.nodes ?? []).length === model.nodes.length;
    return {
      key: `sshPassword:${input.name}`,
      label: `SSH password${all ? '' : ` for ${(input.nodes ?? []).join(', ')}`}`,
      noun: input.what,
      secretName: input.name,
      required: true,
    };
  }
  return { ...ROLE_LABELS[input.role], noun: input.what, secretName: input.name, required: true };
}

/**
 * The fields of a wizard for this spec: the secrets the operation needs (SSH passwords first; register
 * talks to the API with the stored kubeconfig only), and the sudo password where sudo may ask for one —
 * required only once the preflight found that it does and no login password can stand in for it.
 */
/** The operations that run commands under sudo (the hostname, /etc/hosts, `microk8s inspect`). */
const SUDO_OPERATIONS = new Set<string>([
  'preflight',
  'join',
  'add-node',
  'replace-node',
  'diagnostics',
  'install',
  'configure-lb',
  'configure-agents',
]);

export function inputsFor(
  kind: WizardKind | 'fix',
  model: ClusterModel,
  options: { sudoNeeded?: boolean } = {},
): InputSpec[] {
  const operation = kind === 'fix' ? 'preflight' : operationOf(kind);
  const apiOnly = operation === 'register' || operation === 'deregister';
  const needed = requiredSecrets(operation, model).filter(
    (input) => !apiOnly || input.role !== 'sshPassword',
  );
  const fields = needed.map((input) => fieldOf(input, model));
  const logins = needed.some((input) => input.role === 'sshPassword');
  // Deploy needs sudo only to write containerd's proxy settings; the others below never run sudo.
  const sudoUsed =
    operation === 'deploy'
      ? Boolean(model.network.proxy)
      : SUDO_OPERATIONS.has(operation) ||
        // The load-balanced drill stops and starts the gateway service (root); MicroK8s' drill never needs sudo.
        (operation === 'drill' && model.topology === 'load-balanced');
  if (sudoUsed) {
    const sudo: InputSpec = {
      key: 'sudoPassword',
      label: 'Sudo password on the nodes',
      noun: 'the sudo password',
      secretName: SUDO_ENTRY_NAME,
      required: Boolean(options.sudoNeeded) && !logins,
      optionalNote: logins ? 'only when it differs from the SSH password' : 'only when sudo asks for one',
    };
    // After the logins, before the operation's own secrets.
    fields.splice(needed.filter((input) => input.role === 'sshPassword').length, 0, sudo);
  }
  // A resize (add-node to ha) upgrades the deployed Gateway Manager with the HA values: its password then.
  if (kind === 'add-node' && model.gatewayManager.passwordSecret) {
    fields.push({
      key: 'managerPassword',
      label: 'Gateway Manager password',
      noun: 'the Gateway Manager password',
      secretName: model.gatewayManager.passwordSecret,
      required: false,
      optionalNote: 'only when a resize upgrades the deployed charts',
    });
  }
  return fields;
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
