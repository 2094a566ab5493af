// Host-key verification during the handshake: known keys pass, changed and revoked keys are refused, an
// unknown key is shown to the user (the handshake timer paused meanwhile) and recorded only when trusted.
import { fingerprintOf, keyTypeOf } from './known-hosts';
import type { KnownHostsStore } from './known-hosts';
import type { NodeScope } from './scope';
import type { RemotePrompts } from './types';
import type { PausableTimer } from '../timing';

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** Known key types first, so a host on record is asked for the key we can check. */
export function preferredHostKeyAlgorithms(knownKeyTypes: string[]): string[] {
  const first: string[] = [];
  for (const type of knownKeyTypes) {
    const algorithms = type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
    for (const a of algorithms)
      if (DEFAULT_HOST_KEY_ALGORITHMS.includes(a) && !first.includes(a)) first.push(a);
  }
  return [...first, ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !first.includes(a))];
}

export interface HostKeyContext {
  scope: NodeScope;
  knownHosts: KnownHostsStore;
  /** Who answers for an unknown key: the user, through answers shared by the run (HostKeyAnswers). */
  prompts: Pick<RemotePrompts, 'confirmHostKey'>;
  /** The handshake timer: the user's reading time does not count. */
  handshake: PausableTimer;
  /** Whether the connection is gone (the server dropped it, or the handshake failed). */
  linkDown: () => boolean;
}

/** Resolves when the presented key may be used; rejects with a RemoteError otherwise. */
export async function verifyHostKey(key: Buffer, ctx: HostKeyContext): Promise<void> {
  const { scope, knownHosts, prompts } = ctx;
  const { node, port } = scope;
  const fingerprint = fingerprintOf(key);
  const check = await knownHosts.check(node.address, port, key);
  if (check.status === 'trusted') return;
  if (check.status === 'revoked') {
    throw scope.error('hostKeyRefused', `Host key ${fingerprint} of ${scope.where()} is marked @revoked.`);
  }
  if (check.status === 'changed') {
    throw scope.error(
      'hostKeyChanged',
      `HOST KEY CHANGED for node ${node.name} at ${node.address}:${port}: ` +
        `known ${check.knownFingerprints.join(', ')}, now presented ${fingerprint}. ` +
        `Connection refused; if the node was really reinstalled, remove the old key from known_hosts.`,
    );
  }
  const accepted = await ctx.handshake.pausedWhile(() =>
    prompts.confirmHostKey({
      node: node.name,
      address: node.address,
      port,
      keyType: keyTypeOf(key),
      fingerprint,
    }),
  );
  if (!accepted) {
    throw scope.error(
      'hostKeyRefused',
      `Host key ${fingerprint} of ${scope.where()} was not trusted; not connecting.`,
    );
  }
  // The answer may come after the server dropped the link: this connection proved nothing about the key
  // then, so nothing is recorded and the next connection asks again.
  if (ctx.linkDown()) {
    scope.log(`host key ${fingerprint} trusted after the connection closed; not recorded`);
    throw scope.error(
      'connectionLost',
      `The connection to ${scope.where()} closed while host key ${fingerprint} was being confirmed; ` +
        `the key was not recorded. Connect again to check it.`,
    );
  }
  await knownHosts.add(node.address, port, key);
  scope.log(`trusted new host key ${fingerprint}`);
}
