// Why commands never ran on a node, by the SSH layer's error kind (a refused host key, sudo without a
// password…): seen where the run's commands go out, so the CLI can choose its exit status and next step.
import type { NodeRunner } from '../ops';

export class RemoteFailures {
  /** The first failure of each node: its kind and (masked) message. */
  readonly byNode = new Map<string, { kind: string; message: string }>();

  constructor(private readonly onFailure: (node: string, kind: string, message: string) => void = () => {}) {}

  observe = (runner: NodeRunner): NodeRunner => ({
    exec: async (node, command, options) => {
      try {
        return await runner.exec(node, command, options);
      } catch (err) {
        const kind = (err as { kind?: unknown }).kind;
        if (typeof kind === 'string' && !this.byNode.has(node.hostname)) {
          const message = err instanceof Error ? err.message : String(err);
          this.byNode.set(node.hostname, { kind, message });
          this.onFailure(node.hostname, kind, message);
        }
        throw err;
      }
    },
  });

  has(kind: string): boolean {
    return [...this.byNode.values()].some((f) => f.kind === kind);
  }
}
