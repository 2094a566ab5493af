// Host keys on the command line, as OpenSSH's StrictHostKeyChecking=accept-new: a key on record passes, an
// unknown key is refused with its fingerprint unless --accept-new-host-keys records it in the CLI's own
// known_hosts, a changed key is always refused naming both fingerprints. Whatever was refused ends the
// command with exit 3.
import type { HostKeyQuestion, RemotePrompts } from '../remote/types';

export class HostKeyPolicy {
  private readonly unknown = new Map<string, string>();
  private readonly changed = new Map<string, string>();

  constructor(
    private readonly acceptNew: boolean,
    /** Where accepted keys are recorded (shown to the user). */
    private readonly ownFile: string,
    private readonly notify: (line: string) => void,
  ) {}

  /** The SSH layer's question for an unknown key. */
  readonly confirmHostKey: RemotePrompts['confirmHostKey'] = async (q: HostKeyQuestion) => {
    const where = `${q.node} (${q.address}:${q.port})`;
    if (this.acceptNew) {
      this.notify(
        `accepted the new ${q.keyType} host key of ${where}: ${q.fingerprint} (recorded in ${this.ownFile})`,
      );
      return true;
    }
    this.unknown.set(q.node, `${where} presented an unknown ${q.keyType} host key: ${q.fingerprint}`);
    return false;
  };

  /** Notes a changed or revoked key the SSH layer refused (unknown ones came through the prompt). */
  noteRefusal(node: string, kind: string, message: string): void {
    if ((kind === 'hostKeyChanged' || kind === 'hostKeyRefused') && !this.unknown.has(node))
      this.changed.set(node, message);
  }

  /** Whether a key was refused. */
  get refused(): boolean {
    return this.unknown.size + this.changed.size > 0;
  }

  /** What was refused, node by node, and what to do about it. */
  advice(): string {
    const byNode = (m: Map<string, string>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
    const lines = [...byNode(this.changed), ...byNode(this.unknown)].map(([, line]) => `  ${line}`);
    const unknown = this.unknown.size
      ? "\nCompare each fingerprint with the node's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on " +
        'its console); if they match, add the keys to a known_hosts file (--known-hosts FILE) or run again ' +
        'with --accept-new-host-keys.'
      : '';
    return `host keys were refused:\n${lines.join('\n')}${unknown}`;
  }
}
