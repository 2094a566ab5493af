// Discovery as kubectl and client libraries read it: /version, /api, /apis (the legacy, unaggregated
// documents: a client that asks for the aggregated apidiscovery.k8s.io form falls back to these when the
// answer is plain application/json) and every advertised group version's resource list.
import type { Cluster, Json } from '../types';
import { KUBELET_VERSION } from '../types';
import { RESOURCES, apiGroups, type Resource } from '../resources';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: KUBELET_VERSION,
  gitCommit: '32cc146f75aad04beaaa245a7157eb35063a9f99',
  gitTreeState: 'clean',
  buildDate: '2025-03-11T19:52:21Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const METALLB = { name: 'metallb.io', versions: ['v1beta1'] };

function groups(cluster: Cluster): Array<{ name: string; versions: string[] }> {
  return [...apiGroups(), ...(cluster.addons.has('metallb') ? [METALLB] : [])];
}

export function apiVersions(address: string): Json {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `${address}:16443` }],
  };
}

function groupJson(group: { name: string; versions: string[] }): Json {
  const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version}`, version }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

export function apiGroupList(cluster: Cluster): Json {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(cluster).map(groupJson) };
}

/** /apis/GROUP: one group (404 for a group the server does not have). */
export function apiGroup(cluster: Cluster, name: string): Json | undefined {
  const group = groups(cluster).find((g) => g.name === name);
  return group ? { kind: 'APIGroup', apiVersion: 'v1', ...groupJson(group) } : undefined;
}

function resourceJson(r: Resource): Json[] {
  const main: Json = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kindName,
    verbs: r.verbs,
    ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    storageVersionHash: Buffer.from(`${r.group}/${r.plural}`).toString('base64').slice(0, 11),
  };
  const subs = (r.subresources ?? []).map((s) => ({
    name: `${r.plural}/${s.name}`,
    singularName: '',
    namespaced: r.namespaced,
    ...(s.group ? { group: s.group, version: s.version } : {}),
    kind: s.kindName,
    verbs: s.verbs,
  }));
  return [main, ...subs];
}

/** /api/v1 or /apis/GROUP/VERSION: the APIResourceList (undefined when not served). */
export function resourceList(cluster: Cluster, group: string, version: string): Json | undefined {
  if (group === METALLB.name) {
    if (!cluster.addons.has('metallb') || version !== 'v1beta1') return undefined;
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'metallb.io/v1beta1',
      resources: [
        {
          name: 'ipaddresspools',
          singularName: 'ipaddresspool',
          namespaced: true,
          kind: 'IPAddressPool',
          verbs: ['get', 'list'],
        },
      ],
    };
  }
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (resources.length === 0) return undefined;
  const list = resources.flatMap(resourceJson);
  if (group === '')
    list.push({
      name: 'namespaces',
      singularName: 'namespace',
      namespaced: false,
      kind: 'Namespace',
      verbs: ['get', 'list'],
      shortNames: ['ns'],
    });
  return {
    kind: 'APIResourceList',
    ...(group === '' ? {} : { apiVersion: 'v1' }),
    groupVersion: group ? `${group}/${version}` : version,
    resources: list,
  };
}
