// The operations' HostKeyPort over the cluster's known-hosts store: what a node's SSH server presents now
// (read without trusting it), and the deliberate replacement of a swapped VM's key (the old one revoked).
import type { NodeModel } from '../cluster-spec/types';
import type { HostKeyPort, HostKeyProbe } from '../ops';
import type { SshAccess } from '../remote';

type RemoteLayer = typeof import('../remote');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- ssh2 loads on first use
const remoteLayer = (): RemoteLayer => require('../remote') as RemoteLayer;

const PROBE_TIMEOUT_MS = 10_000;

export class ClusterHostKeys implements HostKeyPort {
  constructor(private readonly pool: () => SshAccess) {}

  private async read(node: NodeModel, signal: AbortSignal): Promise<{ key: Buffer; probe: HostKeyProbe }> {
    const remote = remoteLayer();
    const store = this.pool().deps.knownHosts;
    const port = node.ssh.port;
    const entries = await store.lookup(node.address, port);
    const key = await remote.probeHostKey(
      { address: node.address, port, knownKeyTypes: [...new Set(entries.map((e) => e.keyType))] },
      PROBE_TIMEOUT_MS,
      signal,
    );
    const fingerprints = (revoked: boolean) => [
      ...new Set(
        entries
          .filter((e) => e.revoked === revoked)
          .map((e) => remote.fingerprintOf(Buffer.from(e.keyBase64, 'base64'))),
      ),
    ];
    return {
      key,
      probe: {
        fingerprint: remote.fingerprintOf(key),
        keyType: remote.keyTypeOf(key),
        status: remote.checkHostKey(entries, key).status,
        known: fingerprints(false),
        revoked: fingerprints(true),
      },
    };
  }

  async probe(node: NodeModel, signal: AbortSignal): Promise<HostKeyProbe> {
    return (await this.read(node, signal)).probe;
  }

  async replace(node: NodeModel, fingerprint: string, signal: AbortSignal): Promise<void> {
    const { key, probe } = await this.read(node, signal);
    if (probe.fingerprint !== fingerprint)
      throw new Error(
        `${node.address} now presents ${probe.fingerprint}, not the confirmed ${fingerprint}: nothing was recorded.`,
      );
    await this.pool().deps.knownHosts.replace(node.address, node.ssh.port, key);
    // Connections made to the old VM are of no use any more.
    await this.pool().closeAll();
  }
}
