// Authentication attempts in ssh's order (identity file, or agent then the default keys; then password),
// and loading a private key, asking for its passphrase when it is encrypted.
import { promises as fs } from 'node:fs';
import { utils as sshUtils } from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { defaultAgent, defaultKeyFiles, expandHome, keyFileTooOpen, thisWorkstation } from './platform';
import type { Workstation } from './platform';
import type { NodeScope } from './scope';
import type { RemotePrompts, SecretStore } from './types';

export type AuthAttempt =
  | { type: 'agent'; username: string; agent: string }
  | { type: 'publickey'; username: string; key: ParsedKey }
  | { type: 'password'; username: string; password: string };

export interface AuthContext {
  scope: NodeScope;
  prompts: RemotePrompts;
  secrets: SecretStore;
  /** Default process.env.SSH_AUTH_SOCK. Null disables the agent. */
  agentSocket?: string | null;
  /** Home directory for `~` and the default keys; default os.homedir(). */
  homeDir?: string;
  /** Runs a prompt to the user: the handshake timer must not count the time a person takes. */
  whilePrompting<T>(prompt: () => Promise<T>): Promise<T>;
}

/** The attempts, lazily (a passphrase is asked only when its key's turn comes); `tried` names each one. */
export async function* authAttempts(ctx: AuthContext, tried: string[]): AsyncGenerator<AuthAttempt> {
  const { scope } = ctx;
  const { node } = scope;
  const username = scope.user;
  const workstation = { ...thisWorkstation(), ...(ctx.homeDir ? { homeDir: ctx.homeDir } : {}) };
  const agent = ctx.agentSocket === undefined ? defaultAgent(workstation) : ctx.agentSocket;
  const keyFiles = node.identityFile
    ? [expandHome(node.identityFile, workstation)]
    : defaultKeyFiles(workstation);
  if (!node.identityFile && agent) {
    tried.push('agent');
    yield { type: 'agent' as const, username, agent };
  }
  for (const keyPath of keyFiles) {
    const key = await loadKey(ctx, keyPath, node.identityFile !== undefined, workstation);
    if (!key) continue;
    tried.push(`publickey (${keyPath})`);
    yield { type: 'publickey' as const, username, key };
  }
  if (node.passwordSecret) {
    const password = await ctx.secrets.get(node.passwordSecret);
    if (password !== undefined) {
      scope.masker.register(password);
      tried.push('password');
      yield { type: 'password' as const, username, password };
    } else {
      tried.push(`password (secret "${node.passwordSecret}" is not set)`);
    }
  }
}

/** Reads and decrypts a private key; undefined when a default key is missing. */
async function loadKey(
  ctx: AuthContext,
  keyPath: string,
  required: boolean,
  workstation: Workstation,
): Promise<ParsedKey | undefined> {
  const { scope } = ctx;
  let data: Buffer;
  try {
    const tooOpen = keyFileTooOpen((await fs.stat(keyPath)).mode, workstation);
    if (tooOpen) {
      if (!required) return undefined;
      throw scope.error('auth', `Identity file ${keyPath} for ${scope.where()} is not used: ${tooOpen}.`);
    }
    data = await fs.readFile(keyPath);
  } catch (err) {
    if (!required) return undefined;
    if (err instanceof Error && err.name === 'RemoteError') throw err;
    throw scope.error('auth', `Identity file ${keyPath} for ${scope.where()} cannot be read: ${String(err)}`);
  }
  let parsed = sshUtils.parseKey(data);
  if (!(parsed instanceof Error)) return firstKey(parsed);
  if (!/passphrase|encrypted/i.test(parsed.message)) {
    throw scope.error('auth', `Identity file ${keyPath} is not a usable private key: ${parsed.message}`);
  }
  const ask = ctx.prompts.askPassphrase?.bind(ctx.prompts);
  const passphrase = ask && (await ctx.whilePrompting(() => ask({ node: scope.node.name, keyPath })));
  if (passphrase === undefined) return undefined;
  scope.masker.register(passphrase);
  parsed = sshUtils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    throw scope.error('auth', `Wrong passphrase for identity file ${keyPath} (${scope.where()}).`);
  }
  // The decrypted key goes to ssh2 as is: decrypting costs about half a second, so only once.
  return firstKey(parsed);
}

function firstKey(parsed: ParsedKey | ParsedKey[]): ParsedKey {
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}
