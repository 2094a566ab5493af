// The workloads a lab cluster runs, owned as on a real MicroK8s: calico-node and metallb's speaker are
// DaemonSets; calico-kube-controllers, coredns, hostpath-provisioner, metallb's controller and the samples
// are Deployments; the gateway charts make Deployments and, for the manager's redis, a StatefulSet.
import { removeObject, putObject } from './store';
import type { Cluster, Json, LabWorkloadInfo, Release } from './types';
import { metaOf } from './types';

export interface WorkloadSpec {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  namespace: string;
  name: string;
  replicas?: number;
  containers: Array<{ name: string; image: string }>;
  /** Labels of the workload and its pods besides `app` and `app.kubernetes.io/name`. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const PLURAL = { Deployment: 'deployments', DaemonSet: 'daemonsets', StatefulSet: 'statefulsets' } as const;

/** The workload's JSON as `kubectl apply` of its manifest and the API server's defaults leave it. */
export function workloadJson(spec: WorkloadSpec): Json {
  const labels = { app: spec.name, 'app.kubernetes.io/name': spec.name, ...spec.labels };
  const instance = spec.labels?.['app.kubernetes.io/instance'];
  const matchLabels = { app: spec.name, ...(instance ? { 'app.kubernetes.io/instance': instance } : {}) };
  const template = {
    metadata: { labels },
    spec: {
      containers: spec.containers.map((c) => ({ ...c })),
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    },
  };
  const common = { selector: { matchLabels }, template, revisionHistoryLimit: 10 };
  const kindSpec =
    spec.kind === 'Deployment'
      ? {
          replicas: spec.replicas ?? 1,
          ...common,
          progressDeadlineSeconds: 600,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        }
      : spec.kind === 'StatefulSet'
        ? {
            replicas: spec.replicas ?? 1,
            ...common,
            serviceName: `${spec.name}-headless`,
            podManagementPolicy: 'OrderedReady',
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
            persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          }
        : {
            ...common,
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
          };
  return {
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      generation: 1,
      labels,
      ...(spec.annotations ? { annotations: { ...spec.annotations } } : {}),
    },
    spec: kindSpec,
    status: {},
  };
}

export function addWorkload(cluster: Cluster, spec: WorkloadSpec, info: LabWorkloadInfo): Json {
  const object = putObject(cluster, PLURAL[spec.kind], workloadJson(spec));
  cluster.labWorkloads.set(String(metaOf(object).uid), info);
  return object;
}

/** Removes the workloads `source` made; the garbage collector takes their ReplicaSets and pods. */
export function removeWorkloads(cluster: Cluster, source: string): void {
  for (const kind of ['deployments', 'statefulsets', 'daemonsets'] as const) {
    for (const object of [...cluster.objects[kind].values()]) {
      const meta = metaOf(object);
      if (cluster.labWorkloads.get(String(meta.uid))?.source !== source) continue;
      removeObject(cluster, kind, String(meta.namespace), String(meta.name));
    }
  }
}

const one = (
  kind: WorkloadSpec['kind'],
  namespace: string,
  name: string,
  image: string,
  labels?: Record<string, string>,
): WorkloadSpec => ({ kind, namespace, name, replicas: 1, containers: [{ name, image }], labels });

export const SYSTEM_WORKLOADS: WorkloadSpec[] = [
  one('DaemonSet', 'kube-system', 'calico-node', 'docker.io/calico/node:v3.28.1', {
    'k8s-app': 'calico-node',
  }),
  one('Deployment', 'kube-system', 'calico-kube-controllers', 'docker.io/calico/kube-controllers:v3.28.1', {
    'k8s-app': 'calico-kube-controllers',
  }),
];

export const ADDON_WORKLOADS: Record<string, WorkloadSpec[]> = {
  dns: [one('Deployment', 'kube-system', 'coredns', 'coredns/coredns:1.10.1', { 'k8s-app': 'kube-dns' })],
  metallb: [
    one('Deployment', 'metallb-system', 'controller', 'quay.io/metallb/controller:v0.14.8', {
      component: 'controller',
    }),
    one('DaemonSet', 'metallb-system', 'speaker', 'quay.io/metallb/speaker:v0.14.8', {
      component: 'speaker',
    }),
  ],
  'hostpath-storage': [
    one('Deployment', 'kube-system', 'hostpath-provisioner', 'cdkbot/hostpath-provisioner:1.5.0', {
      'k8s-app': 'hostpath-provisioner',
    }),
  ],
};

/** The lab's sample applications: about `total` pods in two Deployments. */
export function sampleWorkloads(total: number): WorkloadSpec[] {
  return [
    {
      ...one('Deployment', 'default', 'sample-web', 'nginx:1.27'),
      replicas: Math.ceil(total / 2),
      containers: [{ name: 'web', image: 'nginx:1.27' }],
    },
    {
      ...one('Deployment', 'default', 'sample-worker', 'busybox:1.36'),
      replicas: Math.floor(total / 2),
      containers: [{ name: 'worker', image: 'busybox:1.36' }],
    },
  ];
}

/** What a chart installs (invented for the gateway charts, which are not public; see README.md). */
export function releaseWorkloads(release: Release): WorkloadSpec[] {
  const { name, namespace, chart, version } = release;
  const labels = {
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/managed-by': 'Helm',
    'helm.sh/chart': `${chart}-${version}`,
  };
  const annotations = { 'meta.helm.sh/release-name': name, 'meta.helm.sh/release-namespace': namespace };
  const make = (kind: WorkloadSpec['kind'], app: string, image: string): WorkloadSpec => ({
    ...one(kind, namespace, app, image, labels),
    annotations,
  });
  if (chart === 'gateway-persistent-storage')
    return [
      make(
        'Deployment',
        `${name}-nfs-subdir-external-provisioner`,
        'registry.k8s.io/sig-storage/nfs-subdir-external-provisioner:v4.0.2',
      ),
    ];
  if (chart === 'gateway-manager')
    return [
      make('Deployment', 'gateway-manager', `gateway-manager:${version}`),
      make('StatefulSet', 'gateway-manager-redis', 'redis:7.2'),
    ];
  return [make('Deployment', name, `${chart}:${version}`)];
}
