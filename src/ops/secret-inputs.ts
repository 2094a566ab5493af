// Which of the spec's secrets an operation needs before it starts, by the names the spec gives them: the
// catalog says which roles an operation uses, the model says what each is called. A host (the CLI) checks
// them before anything connects, so a missing one is reported before the run rather than halfway through it.
import type { ClusterModel } from '../cluster-spec/types';
import { OPERATIONS, type OperationInfo, type OperationPlanName, type SpecSecretRole } from './catalog';

export interface SecretInput {
  /** The name the spec gives the secret (the key in the CLI's secrets file). */
  name: string;
  /** As messages say it: "the Gateway Manager password". */
  what: string;
  /** What the secret is for: an SSH login (for `nodes`) or one of the catalog's roles. */
  role: 'sshPassword' | SpecSecretRole;
  /** For an SSH password: the nodes that log in with it. */
  nodes?: string[];
}

function roleInput(model: ClusterModel, role: SpecSecretRole): SecretInput | undefined {
  const named = (name: string | undefined, what: string) => (name ? { name, what, role } : undefined);
  switch (role) {
    case 'managerPassword':
      return named(model.gatewayManager.passwordSecret, 'the Gateway Manager password');
    case 'activationToken':
      return named(model.registration?.activationTokenSecret, 'the activation token');
    case 'proxyCredentials':
      return named(model.network.proxy?.credentialsSecret, 'the proxy credentials');
    case 'installKey':
      return named(model.gateway?.installKeySecret, 'the install key');
    case 'gatewayPassword':
      return named(model.gateway?.passwordSecret, 'the gateway password');
    case 'agentInstallKey':
      return named(model.agents?.installKeySecret, "the agents' install key");
  }
}

/** The secrets `operation` needs for `model`, each once: SSH login passwords first, then the catalog's roles. */
export function requiredSecrets(operation: OperationPlanName, model: ClusterModel): SecretInput[] {
  const inputs: SecretInput[] = [];
  const add = (input: SecretInput | undefined) => {
    if (input && !inputs.some((i) => i.name === input.name)) inputs.push(input);
  };
  // One input per login secret, with the nodes that use it (a node's own secret, else the cluster's).
  const logins = new Map<string, string[]>();
  // A load-balanced cluster's hosts: its gateways, the load balancer and the agents.
  const hosts = [
    ...model.nodes,
    ...(model.loadBalancer ? [model.loadBalancer] : []),
    ...(model.agents?.hosts ?? []),
  ];
  for (const node of hosts) {
    const name = node.ssh.passwordSecret ?? model.ssh.passwordSecret;
    if (name) logins.set(name, [...(logins.get(name) ?? []), node.hostname]);
  }
  for (const [name, nodes] of logins) {
    const all = nodes.length === hosts.length;
    add({
      name,
      what: `the SSH password${all ? '' : ` for ${nodes.join(', ')}`}`,
      role: 'sshPassword',
      nodes,
    });
  }
  const info: OperationInfo = OPERATIONS[operation];
  for (const role of info.secrets ?? []) add(roleInput(model, role));
  return inputs;
}
