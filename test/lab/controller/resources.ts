// The API resources the lab serves: where each lives (group/version/plural), its kind, verbs, short names,
// and the field selectors a real API server supports for it (others are a 400). One table for discovery,
// routing, selectors and printing.
import type { Json, Kind } from './types';

export interface Resource {
  /** The lab's storage kind (events.k8s.io events share core events' storage). */
  kind: Kind;
  plural: string;
  group: string;
  version: string;
  kindName: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** Field selector labels besides metadata.name (and metadata.namespace for namespaced kinds). */
  fields?: string[];
  subresources?: Array<{ name: string; kindName: string; verbs: string[]; group?: string; version?: string }>;
}

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS = ['get', 'patch', 'update'];

export const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];

export const RESOURCES: Resource[] = [
  {
    kind: 'nodes',
    plural: 'nodes',
    group: '',
    version: 'v1',
    kindName: 'Node',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
    verbs: ALL,
    fields: ['spec.unschedulable'],
    subresources: [{ name: 'status', kindName: 'Node', verbs: STATUS }],
  },
  {
    kind: 'pods',
    plural: 'pods',
    group: '',
    version: 'v1',
    kindName: 'Pod',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    verbs: ALL,
    fields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
    subresources: [
      { name: 'eviction', kindName: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
      { name: 'log', kindName: 'Pod', verbs: ['get'] },
      { name: 'status', kindName: 'Pod', verbs: STATUS },
    ],
  },
  core('secrets', 'Secret', [], ['type']),
  core('configmaps', 'ConfigMap', ['cm']),
  {
    ...core('services', 'Service', ['svc']),
    categories: ['all'],
    subresources: [{ name: 'status', kindName: 'Service', verbs: STATUS }],
  },
  core('events', 'Event', ['ev'], EVENT_FIELDS),
  {
    ...core('persistentvolumeclaims', 'PersistentVolumeClaim', ['pvc']),
    subresources: [{ name: 'status', kindName: 'PersistentVolumeClaim', verbs: STATUS }],
  },
  apps('deployments', 'Deployment', ['deploy'], true),
  { ...apps('replicasets', 'ReplicaSet', ['rs'], true), fields: ['status.replicas'] },
  apps('statefulsets', 'StatefulSet', ['sts'], true),
  apps('daemonsets', 'DaemonSet', ['ds'], false),
  {
    kind: 'poddisruptionbudgets',
    plural: 'poddisruptionbudgets',
    group: 'policy',
    version: 'v1',
    kindName: 'PodDisruptionBudget',
    singular: 'poddisruptionbudget',
    namespaced: true,
    shortNames: ['pdb'],
    verbs: ALL,
    subresources: [{ name: 'status', kindName: 'PodDisruptionBudget', verbs: STATUS }],
  },
  {
    kind: 'events',
    plural: 'events',
    group: 'events.k8s.io',
    version: 'v1',
    kindName: 'Event',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    verbs: ALL,
    fields: ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'type'],
  },
];

function core(kind: Kind, kindName: string, shortNames: string[], fields?: string[]): Resource {
  return {
    kind,
    plural: kind,
    group: '',
    version: 'v1',
    kindName,
    singular: kindName.toLowerCase(),
    namespaced: true,
    shortNames,
    verbs: ALL,
    fields,
  };
}

function apps(kind: Kind, kindName: string, shortNames: string[], scale: boolean): Resource {
  return {
    kind,
    plural: kind,
    group: 'apps',
    version: 'v1',
    kindName,
    singular: kindName.toLowerCase(),
    namespaced: true,
    shortNames,
    categories: ['all'],
    verbs: ALL,
    subresources: [
      ...(scale
        ? [{ name: 'scale', kindName: 'Scale', verbs: STATUS, group: 'autoscaling', version: 'v1' }]
        : []),
      { name: 'status', kindName, verbs: STATUS },
    ],
  };
}

/** The resource at `group/version` named `plural`. */
export function findResource(group: string, version: string, plural: string): Resource | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The resource that serves a storage kind in its core (or apps/policy) group. */
export function resourceOf(kind: Kind): Resource {
  const found = RESOURCES.find((r) => r.kind === kind);
  if (!found) throw new Error(`no resource for ${kind}`);
  return found;
}

export const apiVersionOf = (r: Resource): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** An object as the API sends it: `kind` and `apiVersion` first. */
export function withKind(r: Resource, object: Json): Json {
  return { kind: r.kindName, apiVersion: apiVersionOf(r), ...object };
}

/** Groups (besides the legacy core group) and their versions, in discovery order. */
export function apiGroups(): Array<{ name: string; versions: string[] }> {
  const groups = new Map<string, string[]>();
  for (const r of RESOURCES) {
    if (!r.group) continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return [...groups].map(([name, versions]) => ({ name, versions }));
}
