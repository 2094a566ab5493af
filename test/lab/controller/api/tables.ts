// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for (Accept: …;as=Table…), with the
// columns and cell formats of kubernetes' pkg/printers/internalversion for the kinds the lab serves
// (priority 1 columns are what `-o wide` adds). Kinds without a printer get NAME and AGE (Created At).
import type { Resource } from '../resources';
import type { Json } from '../types';
import { metaOf } from '../types';
import { podRow } from './table-pods';

type Column = [name: string, type: string, priority?: number];
type Printer = { columns: Column[]; row: (object: Json) => unknown[] };

const NAME: Column = ['Name', 'string'];
const AGE: Column = ['Age', 'string'];

/** kubectl's HumanDuration: 45s, 3m4s, 12m, 5h3m, 30h, 3d4h, 12d, 2y. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  const h = Math.floor(s / 3600);
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export const age = (timestamp: unknown): string =>
  timestamp ? humanDuration(Date.now() - Date.parse(String(timestamp))) : '<unknown>';

const name = (o: Json): string => String(metaOf(o).name);
const created = (o: Json): string => age(metaOf(o).creationTimestamp);
const spec = (o: Json): Json => (o.spec ?? {}) as Json;
const status = (o: Json): Json => (o.status ?? {}) as Json;
const num = (v: unknown): number => Number(v ?? 0);

function selectorText(selector: Json | undefined): string {
  const parts = Object.entries((selector?.matchLabels ?? selector ?? {}) as Record<string, string>).map(
    ([k, v]) => `${k}=${v}`,
  );
  for (const e of (selector?.matchExpressions ?? []) as Json[])
    parts.push(
      `${String(e.key)} ${String(e.operator).toLowerCase()} (${((e.values ?? []) as string[]).join(',')})`,
    );
  return parts.length ? parts.join(',') : '<none>';
}

function containersOf(o: Json): Json[] {
  return ((((spec(o).template ?? {}) as Json).spec as Json | undefined)?.containers ?? []) as Json[];
}
const containerColumns: Column[] = [
  ['Containers', 'string', 1],
  ['Images', 'string', 1],
];
const containerCells = (o: Json): string[] => [
  containersOf(o)
    .map((c) => String(c.name))
    .join(','),
  containersOf(o)
    .map((c) => String(c.image))
    .join(','),
];

function nodeStatus(o: Json): string {
  const ready = ((status(o).conditions ?? []) as Json[]).find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown'];
  if (spec(o).unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: Json): string {
  const roles = Object.entries((metaOf(o).labels ?? {}) as Record<string, string>)
    .map(([k, v]) =>
      k.startsWith('node-role.kubernetes.io/')
        ? k.slice('node-role.kubernetes.io/'.length)
        : k === 'kubernetes.io/role'
          ? v
          : '',
    )
    .filter(Boolean);
  return roles.length ? roles.sort().join(',') : '<none>';
}

function servicePorts(o: Json): string {
  const ports = (spec(o).ports ?? []) as Json[];
  if (ports.length === 0) return '<none>';
  return ports
    .map(
      (p) => `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${String(p.protocol ?? 'TCP')}`,
    )
    .join(',');
}

function externalIp(o: Json): string {
  const type = spec(o).type;
  const ingress = ((status(o).loadBalancer as Json | undefined)?.ingress ?? []) as Json[];
  if (type === 'LoadBalancer')
    return ingress.length ? ingress.map((i) => String(i.ip ?? i.hostname)).join(',') : '<pending>';
  if (type === 'ExternalName') return String(spec(o).externalName ?? '<none>');
  const external = (spec(o).externalIPs ?? []) as string[];
  return external.length ? external.join(',') : '<none>';
}

function eventLastSeen(o: Json): string {
  const last = o.lastTimestamp ?? o.eventTime ?? o.firstTimestamp;
  const count = num(o.count);
  if (count > 1) return `${age(last)} (x${count} over ${age(o.firstTimestamp)})`;
  return age(last);
}

const eventSource = (o: Json): string => {
  const source = (o.source ?? {}) as Json;
  const component = String(source.component ?? o.reportingComponent ?? '');
  return source.host ? `${component}, ${String(source.host)}` : component;
};

const PRINTERS: Record<string, Printer> = {
  Node: {
    columns: [
      ['Name', 'string'],
      ['Status', 'string'],
      ['Roles', 'string'],
      AGE,
      ['Version', 'string'],
      ['Internal-IP', 'string', 1],
      ['External-IP', 'string', 1],
      ['OS-Image', 'string', 1],
      ['Kernel-Version', 'string', 1],
      ['Container-Runtime', 'string', 1],
    ],
    row: (o) => {
      const addresses = (status(o).addresses ?? []) as Json[];
      const info = (status(o).nodeInfo ?? {}) as Json;
      const address = (type: string) => String(addresses.find((a) => a.type === type)?.address ?? '<none>');
      return [
        name(o),
        nodeStatus(o),
        nodeRoles(o),
        created(o),
        info.kubeletVersion,
        address('InternalIP'),
        address('ExternalIP'),
        info.osImage,
        info.kernelVersion,
        info.containerRuntimeVersion,
      ];
    },
  },
  Pod: {
    columns: [
      NAME,
      ['Ready', 'string'],
      ['Status', 'string'],
      ['Restarts', 'string'],
      AGE,
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
    row: podRow,
  },
  Service: {
    columns: [
      NAME,
      ['Type', 'string'],
      ['Cluster-IP', 'string'],
      ['External-IP', 'string'],
      ['Port(s)', 'string'],
      AGE,
      ['Selector', 'string', 1],
    ],
    row: (o) => [
      name(o),
      spec(o).type ?? 'ClusterIP',
      spec(o).clusterIP ?? '<none>',
      externalIp(o),
      servicePorts(o),
      created(o),
      selectorText(spec(o).selector as Json | undefined),
    ],
  },
  Event: {
    columns: [
      ['Last Seen', 'string'],
      ['Type', 'string'],
      ['Reason', 'string'],
      ['Object', 'string'],
      ['Subobject', 'string', 1],
      ['Source', 'string', 1],
      ['Message', 'string'],
      ['First Seen', 'string', 1],
      ['Count', 'string', 1],
      ['Name', 'string', 1],
    ],
    row: (o) => {
      const involved = (o.involvedObject ?? o.regarding ?? {}) as Json;
      return [
        eventLastSeen(o),
        o.type,
        o.reason,
        `${String(involved.kind).toLowerCase()}/${String(involved.name)}`,
        involved.fieldPath ?? '',
        eventSource(o),
        o.message ?? o.note ?? '',
        age(o.firstTimestamp),
        String(num(o.count) || 1),
        name(o),
      ];
    },
  },
  Deployment: {
    columns: [
      NAME,
      ['Ready', 'string'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      AGE,
      ...containerColumns,
      ['Selector', 'string', 1],
    ],
    row: (o) => [
      name(o),
      `${num(status(o).readyReplicas)}/${num(spec(o).replicas ?? 1)}`,
      num(status(o).updatedReplicas),
      num(status(o).availableReplicas),
      created(o),
      ...containerCells(o),
      selectorText(spec(o).selector as Json),
    ],
  },
  ReplicaSet: {
    columns: [
      NAME,
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      AGE,
      ...containerColumns,
      ['Selector', 'string', 1],
    ],
    row: (o) => [
      name(o),
      num(spec(o).replicas ?? 1),
      num(status(o).replicas),
      num(status(o).readyReplicas),
      created(o),
      ...containerCells(o),
      selectorText(spec(o).selector as Json),
    ],
  },
  StatefulSet: {
    columns: [NAME, ['Ready', 'string'], AGE, ...containerColumns],
    row: (o) => [
      name(o),
      `${num(status(o).readyReplicas)}/${num(spec(o).replicas ?? 1)}`,
      created(o),
      ...containerCells(o),
    ],
  },
  DaemonSet: {
    columns: [
      NAME,
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
      ['Up-to-date', 'integer'],
      ['Available', 'integer'],
      ['Node Selector', 'string'],
      AGE,
      ...containerColumns,
      ['Selector', 'string', 1],
    ],
    row: (o) => {
      const s = status(o);
      const nodeSelector = ((((spec(o).template ?? {}) as Json).spec as Json | undefined)?.nodeSelector ??
        undefined) as Json | undefined;
      return [
        name(o),
        num(s.desiredNumberScheduled),
        num(s.currentNumberScheduled),
        num(s.numberReady),
        num(s.updatedNumberScheduled),
        num(s.numberAvailable),
        nodeSelector ? selectorText(nodeSelector) : '<none>',
        created(o),
        ...containerCells(o),
        selectorText(spec(o).selector as Json),
      ];
    },
  },
  Namespace: {
    columns: [NAME, ['Status', 'string'], AGE],
    row: (o) => [name(o), status(o).phase ?? 'Active', created(o)],
  },
  Secret: {
    columns: [NAME, ['Type', 'string'], ['Data', 'string'], AGE],
    row: (o) => [name(o), o.type ?? 'Opaque', String(Object.keys((o.data ?? {}) as Json).length), created(o)],
  },
  ConfigMap: {
    columns: [NAME, ['Data', 'string'], AGE],
    row: (o) => [
      name(o),
      String(Object.keys({ ...((o.data ?? {}) as Json), ...((o.binaryData ?? {}) as Json) }).length),
      created(o),
    ],
  },
  PodDisruptionBudget: {
    columns: [
      NAME,
      ['Min Available', 'string'],
      ['Max Unavailable', 'string'],
      ['Allowed Disruptions', 'integer'],
      AGE,
    ],
    row: (o) => [
      name(o),
      spec(o).minAvailable === undefined ? 'N/A' : String(spec(o).minAvailable),
      spec(o).maxUnavailable === undefined ? 'N/A' : String(spec(o).maxUnavailable),
      num(status(o).disruptionsAllowed),
      created(o),
    ],
  },
};

const DEFAULT: Printer = {
  columns: [NAME, ['Created At', 'date']],
  row: (o) => [name(o), metaOf(o).creationTimestamp],
};

/** Whether the client asked for a Table (kubectl get does; client libraries do not). */
export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

/** The Table for `objects`; `includeObject` is None, Metadata (the default) or Object. */
export function toTable(resource: Resource, objects: Json[], rv: string, includeObject: string | null): Json {
  const printer = PRINTERS[resource.kindName] ?? DEFAULT;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: printer.columns.map(([columnName, type, priority]) => ({
      name: columnName,
      type,
      format: columnName === 'Name' ? 'name' : '',
      description: '',
      priority: priority ?? 0,
    })),
    rows: objects.map((object) => ({
      cells: printer.row(object),
      object:
        includeObject === 'None'
          ? undefined
          : includeObject === 'Object'
            ? object
            : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata },
    })),
  };
}
