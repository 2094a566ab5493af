// SecretStorage has no list API: this keeps the names of the secrets stored for each cluster in globalState
// (and which spec and name each cluster id stands for), so completion can offer a spec the names its own
// cluster has, and a wizard can say that a missing secret is stored for another cluster — to be used only
// when the user agrees, naming both. Values never leave SecretStorage. Free of `vscode` imports.
import type { ClusterIdentity } from './identity';
import { specSecretKey } from './secrets';

export interface NameState {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface SecretLookup {
  get(key: string): PromiseLike<string | undefined>;
}

type Names = Record<string, string[]>;

/** `gatewayCluster/<cluster id>/spec/<name>` → its parts; undefined for other keys. */
function parseKey(key: string): { id: string; name: string } | undefined {
  const match = /^gatewayCluster\/([0-9a-f]{16})\/spec\/([A-Za-z0-9._-]{1,128})$/.exec(key);
  return match ? { id: match[1]!, name: match[2]! } : undefined;
}

export class SecretIndex {
  static readonly stateKey = 'gatewayCluster.secretNamesByCluster';
  static readonly clustersKey = 'gatewayCluster.clusterIdentities';

  constructor(
    private readonly secrets: SecretLookup,
    private readonly state: NameState,
  ) {}

  private all(): Names {
    const value = this.state.get<unknown>(SecretIndex.stateKey, {});
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Names) : {};
  }

  /** The names stored for one cluster, sorted. */
  names(identity: ClusterIdentity): string[] {
    const names = this.all()[identity.id];
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string').sort() : [];
  }

  /** Remembers which spec and name a cluster id stands for (to name the cluster a secret is stored for). */
  async remember(identity: ClusterIdentity): Promise<void> {
    const known = this.identities();
    const was = known[identity.id];
    if (was?.name === identity.name && was.specPath === identity.specPath) return;
    await this.state.update(SecretIndex.clustersKey, {
      ...known,
      [identity.id]: { name: identity.name, specPath: identity.specPath },
    });
  }

  /** The other clusters (that this index knows by name and spec) with a secret of this name stored. */
  holders(name: string, except: ClusterIdentity): ClusterIdentity[] {
    const known = this.identities();
    return Object.entries(this.all())
      .filter(([id, names]) => id !== except.id && Array.isArray(names) && names.includes(name) && known[id])
      .map(([id]) => ({ id, name: known[id]!.name, specPath: known[id]!.specPath }));
  }

  private identities(): Record<string, { name: string; specPath: string }> {
    const value = this.state.get<unknown>(SecretIndex.clustersKey, {});
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter(
        ([, v]) =>
          typeof (v as { name?: unknown })?.name === 'string' &&
          typeof (v as { specPath?: unknown })?.specPath === 'string',
      ),
    ) as Record<string, { name: string; specPath: string }>;
  }

  /** Keeps the index true after a secret changed (in this window or another). */
  async refresh(key: string): Promise<void> {
    const parsed = parseKey(key);
    if (!parsed) return;
    const exists = (await this.secrets.get(key)) !== undefined;
    const all = this.all();
    const names = new Set(all[parsed.id] ?? []);
    if (exists === names.has(parsed.name)) return;
    if (exists) names.add(parsed.name);
    else names.delete(parsed.name);
    await this.state.update(SecretIndex.stateKey, { ...all, [parsed.id]: [...names].sort() });
  }

  /** A name not yet used in this cluster for a different value: `name`, then `name-2`, `name-3`… */
  async freeName(identity: ClusterIdentity, name: string, value: string): Promise<string> {
    for (let i = 1; i < 1000; i++) {
      const candidate = i === 1 ? name : `${name.slice(0, 120)}-${i}`;
      const existing = await this.secrets.get(specSecretKey(identity, candidate));
      if (existing === undefined || existing === value) return candidate;
    }
    throw new Error(`No free secret name near '${name}'.`);
  }
}
