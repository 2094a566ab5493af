// The cluster's one kubeconfig: one secret entry, one masking rule, one way to fetch it (`microk8s config`
// on the first node that answers). The tree's connection and the operations' runs both go through it.
import type { SecretRegistry } from './secrets';
import type { ClusterSecrets } from './secrets';

/** Runs `microk8s config` on one node and returns its output (the SSH pool, or an operation's own exec). */
export type KubeconfigFetch = () => Promise<string>;

export class ClusterKubeconfig {
  constructor(
    private readonly secrets: ClusterSecrets,
    private readonly masker: SecretRegistry,
    private readonly fetchFromNodes: KubeconfigFetch,
    /** The kube layer's rule for what in a kubeconfig is a credential (loaded on first use). */
    private readonly credentialsOf: (text: string) => string[],
  ) {}

  async read(): Promise<string | undefined> {
    const text = await this.secrets.getInternal('kubeconfig');
    if (text) this.registerCredentials(text);
    return text || undefined;
  }

  /** Keeps a kubeconfig as this cluster's; its credentials are masked from now on. */
  async store(text: string): Promise<void> {
    if (!/^\s*clusters:/m.test(text) || !/server:/.test(text))
      throw new Error('That is not a kubeconfig (it has no clusters or no server).');
    this.registerCredentials(text);
    await this.secrets.storeInternal('kubeconfig', text);
  }

  /** Fetches a fresh one over SSH and stores it. */
  async fetch(): Promise<string> {
    const text = await this.fetchFromNodes();
    await this.store(text);
    return text;
  }

  async forget(): Promise<void> {
    await this.secrets.deleteInternal('kubeconfig');
  }

  private registerCredentials(text: string): void {
    for (const secret of this.credentialsOf(text)) this.masker.register(secret);
  }
}
