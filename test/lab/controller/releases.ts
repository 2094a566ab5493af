// Helm releases in the lab state: install/upgrade (revision bookkeeping, the chart's workloads and, for the
// Gateway Manager, its LoadBalancer Service) and uninstall (all of it goes again).
import { gatewayManagerReact } from './gateway-manager';
import { bindClaims } from './claims';
import { removeRevisions, storeRevision } from './helm-storage';
import { addWorkload, releaseWorkloads, removeWorkloads } from './lab-workloads';
import { reconcileLoadBalancers, serviceIp } from './metallb';
import type { LabModel } from './model';
import { timing } from './timing';
import type { Cluster, Json, Release } from './types';
import { metaOf } from './types';

export interface InstallOptions {
  values: Record<string, string>;
  passwordGiven: boolean;
  settled?: boolean;
}

export function installRelease(
  model: LabModel,
  cluster: Cluster,
  name: string,
  namespace: string,
  chart: string,
  version: string,
  options: InstallOptions = { values: {}, passwordGiven: false },
): Release {
  const existing = cluster.releases.find((r) => r.name === name && r.namespace === namespace);
  const updated = new Date().toISOString();
  let release: Release;
  if (existing) {
    Object.assign(existing, {
      revision: existing.revision + 1,
      version,
      chart,
      updated,
      values: { ...options.values },
      passwordGiven: options.passwordGiven,
    });
    release = existing;
  } else {
    release = {
      name,
      namespace,
      chart,
      version,
      revision: 1,
      updated,
      firstDeployed: updated,
      values: { ...options.values },
      passwordGiven: options.passwordGiven,
    };
    cluster.releases.push(release);
    for (const spec of releaseWorkloads(release))
      addWorkload(cluster, spec, {
        source: `release:${namespace}/${name}`,
        readyDelayMs: timing.releaseReadyMs,
      });
  }
  storeRevision(cluster, release);
  if (chart === 'gateway-manager') ensureRedisClaim(model, cluster, release);
  // An upgrade re-applies the chart's manifests: a deleted Service comes back.
  if (chart === 'gateway-manager') ensureManagerService(model, cluster, release, options.settled ?? false);
  model.reconcile(cluster, options.settled ?? false);
  if (chart === 'gateway-manager' && !existing)
    gatewayManagerReact(model, cluster, { kind: 'installed', namespace });
  return release;
}

/** The chart's Service: type LoadBalancer on port 5480, its address given by metallb. */
function ensureManagerService(model: LabModel, cluster: Cluster, release: Release, settled: boolean): void {
  if (model.getObject(cluster, 'services', release.namespace, 'gateway-manager')) return;
  const clusterIP = serviceIp(cluster);
  model.putObject(cluster, 'services', {
    metadata: {
      name: 'gateway-manager',
      namespace: release.namespace,
      labels: {
        'app.kubernetes.io/instance': release.name,
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/name': 'gateway-manager',
      },
      annotations: {
        'meta.helm.sh/release-name': release.name,
        'meta.helm.sh/release-namespace': release.namespace,
      },
    },
    spec: {
      type: 'LoadBalancer',
      selector: { app: 'gateway-manager' },
      ports: [{ name: 'https', port: 5480, protocol: 'TCP', targetPort: 5480, nodePort: 31480 }],
      clusterIP,
      clusterIPs: [clusterIP],
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    },
    status: { loadBalancer: {} },
  });
  reconcileLoadBalancers(model, cluster, settled);
}

export function uninstallRelease(
  model: LabModel,
  cluster: Cluster,
  name: string,
  namespace: string,
): boolean {
  const release = cluster.releases.find((r) => r.name === name && r.namespace === namespace);
  if (!release) return false;
  cluster.releases = cluster.releases.filter((r) => r !== release);
  removeRevisions(cluster, release);
  removeWorkloads(cluster, `release:${namespace}/${name}`);
  for (const service of [...cluster.objects.services.values()]) {
    const meta = metaOf(service);
    const annotations = (meta.annotations ?? {}) as Json;
    if (
      annotations['meta.helm.sh/release-name'] === name &&
      annotations['meta.helm.sh/release-namespace'] === namespace
    )
      model.removeObject(cluster, 'services', namespace, String(meta.name));
  }
  model.reconcile(cluster);
  if (release.chart === 'gateway-manager')
    gatewayManagerReact(model, cluster, { kind: 'uninstalled', namespace });
  return true;
}

/**
 * The Gateway Manager's Redis keeps its data on a claim (invented, as the chart's workloads are): bound at
 * once by the storage class of the storage chart when it is installed, else MicroK8s' hostpath one. Kept on
 * uninstall, as a StatefulSet's claims are.
 */
function ensureRedisClaim(model: LabModel, cluster: Cluster, release: Release): void {
  const name = 'data-gateway-manager-redis-0';
  if (model.getObject(cluster, 'persistentvolumeclaims', release.namespace, name)) return;
  const nfs = cluster.releases.some((r) => r.chart === 'gateway-persistent-storage');
  model.putObject(cluster, 'persistentvolumeclaims', {
    metadata: {
      name,
      namespace: release.namespace,
      labels: { app: 'gateway-manager-redis', 'app.kubernetes.io/instance': release.name },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
      storageClassName: nfs ? 'nfs-client' : 'microk8s-hostpath',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Pending' },
  });
  bindClaims(model, cluster);
}
