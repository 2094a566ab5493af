// SecretStorage has no list API: this keeps the names of the secrets stored for each cluster in globalState,
// so completion can offer a spec the names its own cluster has. Values never leave SecretStorage. Free of
// `vscode` imports for unit tests.
import { specSecretKey, type ClusterIdentity } from '../clusters/index';

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
