// A lab node as src/remote sees it, and the plain SshPool that talks to it (the lab's known_hosts, its client
// key, no prompts): for the SSH-layer tests and the benchmarks that run against a lab.
import * as path from 'node:path';
import { KnownHostsStore, Masker, SshPool } from '../../../src/remote';
import type { RemoteNode, ConnectionDeps } from '../../../src/remote';
import type { LabInfo } from '../../lab/index';

/** Node `index` (1-based) of the lab, reached with the lab's client key. */
export function labRemoteNode(info: LabInfo, index: number, extra: Partial<RemoteNode> = {}): RemoteNode {
  const n = info.nodes[index - 1];
  if (!n) throw new Error(`the lab has no node ${index}`);
  return {
    name: n.specHostname,
    address: n.address,
    user: info.user,
    identityFile: info.clientKeyPath,
    ...extra,
  };
}

/** Every node of the lab (or the first `count`) as remote nodes. */
export function labRemoteNodes(info: LabInfo, count = info.nodes.length): RemoteNode[] {
  return info.nodes.slice(0, count).map((n) => labRemoteNode(info, n.index));
}

/**
 * Connection deps that trust the lab's known_hosts (own entries under `dir`, which is also the home folder),
 * refuse any other host key, hold no secrets and use no agent. Tests override what they watch.
 */
export function labConnectionDeps(
  info: LabInfo,
  dir: string,
  overrides: Partial<ConnectionDeps> = {},
): ConnectionDeps {
  return {
    knownHosts: new KnownHostsStore({
      userFile: info.knownHostsPath,
      ownFile: path.join(dir, 'own_known_hosts'),
    }),
    prompts: { confirmHostKey: async () => false },
    secrets: { get: async () => undefined },
    masker: new Masker(),
    agentSocket: null,
    homeDir: dir,
    ...overrides,
  };
}

export function labPool(info: LabInfo, dir: string): SshPool {
  return new SshPool(labConnectionDeps(info, dir));
}
