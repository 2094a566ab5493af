// metallb.io/v1beta1 IPAddressPools: the add-on's `default-addresspool` while metallb is on; a PUT of it
// changes the range the add-on hands out (as editing the pool does on a real cluster).
import type { ServerResponse } from 'node:http';
import type { LabModel } from '../model';
import type { Cluster, Json } from '../types';
import { resourceList } from './discovery';
import { ApiError, methodNotAllowed, notFoundPath, send } from './http';

export function metallbPools(
  model: LabModel,
  cluster: Cluster,
  rest: string[],
  method: string,
  res: ServerResponse,
  body?: Json,
): void {
  const pool = (): Json => ({
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPool',
    metadata: {
      name: 'default-addresspool',
      namespace: 'metallb-system',
      uid: `${cluster.id.slice(0, 24)}metallbpool`,
      creationTimestamp: cluster.created,
      resourceVersion: String(model.rv),
    },
    spec: {
      addresses: (cluster.metallbRange ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
      autoAssign: true,
      avoidBuggyIPs: false,
    },
  });
  const [version, a, b, c, d] = rest;
  if (version !== 'v1beta1') throw notFoundPath();
  if (rest.length === 1) return send(res, 200, resourceList(cluster, 'metallb.io', 'v1beta1'));
  const all = a === 'ipaddresspools' && rest.length === 2;
  const inNamespace = a === 'namespaces' && c === 'ipaddresspools';
  if (!all && !inNamespace) throw notFoundPath();
  if (
    method === 'PUT' &&
    inNamespace &&
    b === 'metallb-system' &&
    d === 'default-addresspool' &&
    cluster.metallbRange
  ) {
    const addresses = ((body?.spec as Json | undefined)?.addresses ?? []) as unknown[];
    if (!Array.isArray(addresses) || addresses.length === 0 || !addresses.every((x) => typeof x === 'string'))
      throw new ApiError(422, 'Invalid', 'spec.addresses: Required value');
    cluster.metallbRange = (addresses as string[]).join(',');
    model.reconcile(cluster);
    return send(res, 200, pool());
  }
  if (method !== 'GET') throw methodNotAllowed();
  const items = inNamespace && b !== 'metallb-system' ? [] : [pool()];
  if (d !== undefined) {
    const item = items.find((p) => (p.metadata as Json).name === d);
    if (!item) throw new ApiError(404, 'NotFound', `ipaddresspools.metallb.io "${d}" not found`);
    return send(res, 200, item);
  }
  send(res, 200, {
    apiVersion: 'metallb.io/v1beta1',
    kind: 'IPAddressPoolList',
    metadata: { resourceVersion: String(model.rv) },
    items,
  });
}
