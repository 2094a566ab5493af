// A cluster's identity: the spec file it is written in and its metadata.name. Secrets, the kubeconfig, the
// operation lock and the run history belong to an identity, so a spec reaches only what was stored for that
// same cluster: a cloned repository's cluster.yaml with a familiar name is another cluster.
import { createHash } from 'node:crypto';
import * as path from 'node:path';

export interface ClusterIdentity {
  /** The spec file, absolute. */
  readonly specPath: string;
  /** metadata.name. */
  readonly name: string;
  /** A stable short hash of both, used in storage keys and lock file names. */
  readonly id: string;
}

export function clusterIdentity(specPath: string, name: string): ClusterIdentity {
  const absolute = path.resolve(specPath);
  const id = createHash('sha256').update(`${absolute}\n${name}`).digest('hex').slice(0, 16);
  return { specPath: absolute, name, id };
}

/** Where a spec's own files go (run transcripts, locks): `.gateway-cluster/` beside the spec. */
export function stateDirOf(specPath: string): string {
  return path.join(path.dirname(path.resolve(specPath)), '.gateway-cluster');
}
