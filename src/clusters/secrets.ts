// Secrets scoped to one cluster. A spec names its secrets (`passwordSecret`, `activationTokenSecret`…); the
// storage key adds the cluster's identity, so no spec can name another cluster's secret, and the extension's
// own entries (kubeconfig, sudo password) live under a prefix that no spec name can reach.
import type { ClusterIdentity } from './identity';

/** Raw key/value storage: the editor's secret storage, or the CLI's secrets file plus memory. */
export interface SecretBackend {
  /** False when values live in this process's memory only (the CLI's): nothing of them stays behind. */
  readonly persistent?: boolean;
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a spec may name: the contract's rule (GC151). No `/`, so never an internal key. */
export const SECRET_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** Entries the extension keeps for a cluster itself; a spec cannot address them. */
export type InternalSecret = 'kubeconfig' | 'sudo-password';

/** The SSH layer's reference to the sudo password: not a valid spec name, so only the engine uses it. */
export const SUDO_PASSWORD_REF = '@sudo-password';

export function specSecretKey(identity: ClusterIdentity, name: string): string {
  return `gatewayCluster/${identity.id}/spec/${name}`;
}

export function internalSecretKey(identity: ClusterIdentity, entry: InternalSecret): string {
  return `gatewayCluster/${identity.id}/internal/${entry}`;
}

/** Learns each value it hands out, so nothing shows it afterwards. */
export interface SecretRegistry {
  register(secret: string | undefined): void;
}

export class ClusterSecrets {
  constructor(
    private readonly backend: SecretBackend,
    readonly identity: ClusterIdentity,
    private readonly masker: SecretRegistry,
  ) {}

  /** A secret the spec names; undefined for a name the contract does not allow. */
  async get(name: string): Promise<string | undefined> {
    if (name === SUDO_PASSWORD_REF) return this.getInternal('sudo-password');
    if (!SECRET_NAME.test(name)) return undefined;
    return this.registered(await this.backend.get(specSecretKey(this.identity, name)));
  }

  async store(name: string, value: string): Promise<void> {
    if (!SECRET_NAME.test(name))
      throw new Error(`"${name}" is not a valid secret name (1–128 of A-Za-z0-9._-).`);
    this.masker.register(value);
    await this.backend.store(specSecretKey(this.identity, name), value);
  }

  async delete(name: string): Promise<void> {
    if (SECRET_NAME.test(name)) await this.backend.delete(specSecretKey(this.identity, name));
  }

  /**
   * Copies a secret stored for another cluster into this one's. The only read across clusters: callers ask
   * the user first, naming both clusters and where the value would go.
   */
  async copyFrom(other: ClusterIdentity, name: string): Promise<boolean> {
    if (!SECRET_NAME.test(name) || other.id === this.identity.id) return false;
    const value = await this.backend.get(specSecretKey(other, name));
    if (value === undefined) return false;
    await this.store(name, value);
    return true;
  }

  async getInternal(entry: InternalSecret): Promise<string | undefined> {
    return this.registered(await this.backend.get(internalSecretKey(this.identity, entry)));
  }

  async storeInternal(entry: InternalSecret, value: string): Promise<void> {
    this.masker.register(value);
    await this.backend.store(internalSecretKey(this.identity, entry), value);
  }

  async deleteInternal(entry: InternalSecret): Promise<void> {
    await this.backend.delete(internalSecretKey(this.identity, entry));
  }

  private registered(value: string | undefined): string | undefined {
    if (value) this.masker.register(value);
    return value;
  }
}
