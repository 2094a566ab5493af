// The lab's snapshot (LabApi.snapshot): nodes, pods, add-ons, releases, services, Secret names and keys
// (never values), ConfigMap names and the registration state.
import type { LabSnapshot } from '../api';
import { registrationSnapshot } from './gateway-manager';
import type { LabModel } from './model';
import { isPodReady } from './pods';
import type { Cluster, Json } from './types';
import { metaOf } from './types';

export function labSnapshot(model: LabModel, cluster: Cluster): Omit<LabSnapshot, 'floatingIps'> {
  const names = (object: Json) => ({
    namespace: String(metaOf(object).namespace),
    name: String(metaOf(object).name),
  });
  return {
    nodes: [...cluster.k8sNodes.values()].map((n) => ({
      name: n.name,
      ready: n.ready,
      unschedulable: n.unschedulable,
      address: n.address,
      readySinceMs: n.readySinceMs,
      backed: n.labIndex !== null,
    })),
    dqlite: [...cluster.dqlite].map(([address, role]) => ({ address, role })),
    pods: [...cluster.pods.values()].map((p) => {
      const meta = metaOf(p.object);
      return {
        namespace: String(meta.namespace),
        name: String(meta.name),
        nodeName: p.nodeName,
        phase: String((p.object.status as Json).phase),
        ready: isPodReady(p),
        uid: String(meta.uid),
        terminating: p.terminating,
        ...(p.readySinceMs === undefined ? {} : { readySinceMs: p.readySinceMs }),
      };
    }),
    addons: {
      dns: cluster.addons.has('dns'),
      metallb: cluster.metallbRange,
      helm3: cluster.addons.has('helm3'),
    },
    releases: cluster.releases.map((r) => ({
      name: r.name,
      namespace: r.namespace,
      chart: r.chart,
      version: r.version,
      revision: r.revision,
      values: { ...r.values },
      passwordGiven: r.passwordGiven,
    })),
    services: [...cluster.objects.services.values()].map((object) => {
      const spec = (object.spec ?? {}) as Json;
      const ingress = ((object.status as Json | undefined)?.loadBalancer as Json | undefined)?.ingress as
        Array<{ ip?: string }> | undefined;
      return {
        ...names(object),
        type: String(spec.type ?? 'ClusterIP'),
        clusterIP: String(spec.clusterIP ?? ''),
        loadBalancerIp: ingress?.[0]?.ip ?? null,
      };
    }),
    // Names and keys only: the values of Secrets never leave the controller.
    secrets: [...cluster.objects.secrets.values()].map((object) => ({
      ...names(object),
      keys: Object.keys((object.data ?? {}) as Json).sort(),
    })),
    configMaps: [...cluster.objects.configmaps.values()].map(names),
    registration: registrationSnapshot(model, cluster),
    classicGateway: model.classicRegistered,
  };
}
