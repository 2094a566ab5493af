// How a spec node is reached over SSH. Structural (NodeModel fits) so the SSH layer stays free of spec/.
import type { RemoteNode } from './types';

/** The parts of a spec node the SSH layer needs: its name, address and merged ssh block. */
export interface SpecNodeLike {
  hostname: string;
  address: string;
  ssh: { port?: number; user?: string; identityFile?: string; passwordSecret?: string };
}

/** The RemoteNode of a spec node; the sudo password key is optional. */
export function remoteNodeOf(node: SpecNodeLike, sudoPasswordSecret?: string): RemoteNode {
  return {
    name: node.hostname,
    address: node.address,
    port: node.ssh.port,
    user: node.ssh.user,
    identityFile: node.ssh.identityFile,
    passwordSecret: node.ssh.passwordSecret,
    sudoPasswordSecret,
  };
}
