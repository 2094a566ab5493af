// What this machine keeps for a cluster, which delete lists and then forgets: the secrets stored under the
// cluster's identity (the spec's names and the extension's own entries, the kubeconfig among them) and the
// host keys this product recorded for the nodes. The user's own known_hosts is never written.
import type { ClusterModel } from '../cluster-spec/types';
import type { LocalClusterState, LocalItems } from '../ops';
import type { KnownHostsStore } from '../remote';
import type { ClusterSecrets, InternalSecret } from './secrets';

const INTERNAL: InternalSecret[] = ['kubeconfig', 'sudo-password'];

/** Every secret name a spec gives (SSH logins, the manager password, the token, the proxy credentials). */
export function specSecretNames(model: ClusterModel): string[] {
  const names = [
    model.ssh.passwordSecret,
    ...model.nodes.map((n) => n.ssh.passwordSecret),
    model.gatewayManager.passwordSecret,
    model.registration?.activationTokenSecret,
    model.network.proxy?.credentialsSecret,
  ];
  return [...new Set(names.filter((n): n is string => Boolean(n)))];
}

export class ClusterLocalState implements LocalClusterState {
  constructor(
    private readonly model: () => ClusterModel,
    private readonly secrets: ClusterSecrets,
    private readonly knownHosts: () => KnownHostsStore,
    /** False where secrets live in memory only (the CLI): there is nothing stored to forget. */
    private readonly storesSecrets: boolean,
    /** The tree's live connection (the editor): it stops using the kubeconfig once that is forgotten. */
    private readonly live?: { disconnect(): Promise<void> },
  ) {}

  async list(): Promise<LocalItems> {
    const secrets: string[] = [];
    if (this.storesSecrets) {
      for (const name of specSecretNames(this.model()))
        if ((await this.secrets.get(name)) !== undefined) secrets.push(name);
      for (const entry of INTERNAL)
        if ((await this.secrets.getInternal(entry)) !== undefined) secrets.push(`(${entry})`);
    }
    const hostKeys: string[] = [];
    for (const node of this.model().nodes)
      for (const entry of await this.knownHosts().recorded(node.address, node.ssh.port))
        hostKeys.push(
          `${node.hostname} (${node.address}) ${entry.keyType}${entry.revoked ? ' revoked' : ''}`,
        );
    return { secrets, hostKeys };
  }

  async forget(): Promise<LocalItems> {
    const items = await this.list();
    if (this.storesSecrets) {
      for (const name of specSecretNames(this.model())) await this.secrets.delete(name);
      for (const entry of INTERNAL) await this.secrets.deleteInternal(entry);
    }
    for (const node of this.model().nodes) await this.knownHosts().forget(node.address, node.ssh.port);
    // Still connected, the tree would go on showing a deleted cluster through credentials it no longer keeps.
    await this.live?.disconnect();
    return items;
  }
}
