// SecretStorage has no list API: this keeps the names of the secrets this extension stores in globalState,
// so completion can offer them. Values never leave SecretStorage. Free of `vscode` imports for unit tests.

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

export interface NameState {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): PromiseLike<void>;
}

export const SECRET_NAME_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export class SecretIndex {
  static readonly stateKey = 'gatewayCluster.secretNames';

  constructor(
    private readonly secrets: SecretStore,
    private readonly state: NameState,
  ) {}

  names(): string[] {
    const names = this.state.get<unknown>(SecretIndex.stateKey, []);
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string').sort() : [];
  }

  async store(name: string, value: string): Promise<void> {
    if (!SECRET_NAME_PATTERN.test(name))
      throw new Error(`'${name}' is not a valid secret name (1–128 of A-Za-z0-9._-).`);
    await this.secrets.store(name, value);
    await this.remember(name);
  }

  async get(name: string): Promise<string | undefined> {
    return this.secrets.get(name);
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(name);
    await this.state.update(
      SecretIndex.stateKey,
      this.names().filter((n) => n !== name),
    );
  }

  /** Keeps the index true when a secret changes elsewhere (another window, another command). */
  async refresh(name: string): Promise<void> {
    const value = await this.secrets.get(name);
    if (value === undefined) {
      if (this.names().includes(name))
        await this.state.update(
          SecretIndex.stateKey,
          this.names().filter((n) => n !== name),
        );
    } else {
      await this.remember(name);
    }
  }

  /** A name not yet used for a different value: `name`, then `name-2`, `name-3`… */
  async freeName(name: string, value: string): Promise<string> {
    for (let i = 1; i < 1000; i++) {
      const candidate = i === 1 ? name : `${name.slice(0, 120)}-${i}`;
      const existing = await this.secrets.get(candidate);
      if (existing === undefined || existing === value) return candidate;
    }
    throw new Error(`No free secret name near '${name}'.`);
  }

  private async remember(name: string): Promise<void> {
    const names = this.names();
    if (!names.includes(name)) await this.state.update(SecretIndex.stateKey, [...names, name].sort());
  }
}
