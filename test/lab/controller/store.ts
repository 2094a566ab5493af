// A cluster's stored objects (everything but nodes and pods, which have runtime records): read, write,
// remove, each write a watch event with a new resourceVersion. And the cluster itself: what a fresh API
// server holds, and its timers.
import { randomUUID } from 'node:crypto';
import { counter, emit } from './hub';
import type { Cluster, Json, StoredKind } from './types';
import { STORED_KINDS, metaOf, nowIso } from './types';

export function newCluster(caPem: string): Cluster {
  const objects = Object.fromEntries(STORED_KINDS.map((k) => [k, new Map<string, Json>()])) as Record<
    StoredKind,
    Map<string, Json>
  >;
  const cluster: Cluster = {
    id: randomUUID(),
    k8sNodes: new Map(),
    pods: new Map(),
    objects,
    labWorkloads: new Map(),
    addons: new Set(['ha-cluster', 'helm', 'helm3']),
    dqlite: new Map(),
    metallbRange: null,
    releases: [],
    startRv: counter.rv,
    history: new Map(),
    lastSent: new Map(),
    watchers: new Set(),
    created: nowIso(),
    timers: new Set(),
    reconciling: false,
  };
  // What every fresh API server holds: the root CA in each namespace, the `kubernetes` Service.
  for (const namespace of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    putObject(cluster, 'configmaps', {
      metadata: { name: 'kube-root-ca.crt', namespace },
      data: { 'ca.crt': caPem },
    });
  }
  putObject(cluster, 'services', {
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.152.183.1',
      clusterIPs: ['10.152.183.1'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 16443 }],
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  });
  return cluster;
}

export function getObject(
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  name: string,
): Json | undefined {
  return cluster.objects[kind].get(`${namespace}/${name}`);
}

/** Every stored object of a kind (in one namespace, or all). */
export function listObjects(cluster: Cluster, kind: StoredKind, namespace?: string): Json[] {
  const all = [...cluster.objects[kind].values()];
  return namespace === undefined ? all : all.filter((o) => metaOf(o).namespace === namespace);
}

/**
 * Stores an object (ADDED or MODIFIED), keeping the stored uid and creationTimestamp (new ones for a new
 * object) and giving it a new resourceVersion. Returns the stored object.
 */
export function putObject(cluster: Cluster, kind: StoredKind, object: Json): Json {
  const meta = metaOf(object);
  object.metadata = meta;
  const key = `${String(meta.namespace)}/${String(meta.name)}`;
  const existing = cluster.objects[kind].get(key);
  const existingMeta = existing ? metaOf(existing) : undefined;
  meta.uid = existingMeta?.uid ?? meta.uid ?? randomUUID();
  meta.creationTimestamp = existingMeta?.creationTimestamp ?? meta.creationTimestamp ?? nowIso();
  cluster.objects[kind].set(key, object);
  emit(cluster, kind, existing ? 'MODIFIED' : 'ADDED', object);
  return object;
}

export function removeObject(
  cluster: Cluster,
  kind: StoredKind,
  namespace: string,
  name: string,
): Json | undefined {
  const key = `${namespace}/${name}`;
  const existing = cluster.objects[kind].get(key);
  if (!existing) return undefined;
  cluster.objects[kind].delete(key);
  emit(cluster, kind, 'DELETED', existing);
  return existing;
}

/** Runs `fn` later unless the cluster is dropped first (`alive` says whether it still is). */
export function clusterTimer(
  cluster: Cluster,
  alive: () => boolean,
  ms: number,
  fn: () => void,
): NodeJS.Timeout {
  const timer = setTimeout(() => {
    cluster.timers.delete(timer);
    if (!alive()) return;
    try {
      fn();
    } catch (error) {
      // a controller's slip must not take the lab down
      process.emitWarning(String(error));
    }
  }, ms);
  cluster.timers.add(timer);
  return timer;
}

/** Namespaces that exist: the built-in ones and those of any stored object or pod. */
export function namespaces(cluster: Cluster): Set<string> {
  const names = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  if (cluster.addons.has('metallb')) names.add('metallb-system');
  for (const release of cluster.releases) names.add(release.namespace);
  for (const kind of ['deployments', 'statefulsets', 'daemonsets'] as const)
    for (const object of cluster.objects[kind].values()) names.add(String(metaOf(object).namespace));
  return names;
}
