// The objects the tree hands to VS Code. Each is created once and kept (VS Code keys refreshes by object
// identity), so a watch event can refresh exactly the item it concerns.
import type { ClusterModel } from '../cluster-spec/types';
import type { ApiPod, ClusterContext, LiveCluster, LiveList, PodWatch } from '../clusters';

export interface ClusterElement {
  readonly kind: 'cluster';
  /** The registry's key: `${specUri}#${documentIndex}`. */
  readonly key: string;
  readonly specUri: string;
  /** The cluster's context (replaced when the spec names another cluster). */
  context: ClusterContext;
  readonly nodes: Map<string, NodeElement>;
  /** The outage item, kept while the API is unreachable. */
  errorItem: MessageElement | undefined;
  connectError: string | undefined;
}

export interface NodeElement {
  readonly kind: 'node';
  readonly cluster: ClusterElement;
  readonly name: string;
  podWatch: PodWatch | undefined;
  /** The node's name in the cluster that podWatch follows (a fresh VM's changes when Join renames it). */
  podWatchName?: string;
  /** Last known pod count (kept after collapse, shown in the description). */
  podCount: number | undefined;
  readonly pods: Map<string, PodElement>;
  readonly groups: Map<string, NamespaceElement>;
  readonly messages: Map<string, MessageElement>;
}

export interface NamespaceElement {
  readonly kind: 'namespace';
  readonly node: NodeElement;
  readonly namespace: string;
  pods: ApiPod[];
}

export interface PodElement {
  readonly kind: 'pod';
  readonly node: NodeElement;
  /** `namespace/name` */
  readonly key: string;
  pod: ApiPod;
  /** Whether the parent node groups by namespace (then the namespace is not repeated). */
  grouped: boolean;
}

export interface MessageElement {
  readonly kind: 'message';
  readonly parent: ClusterElement | NodeElement;
  text: string;
  tooltip?: string;
  severity: 'info' | 'error';
  /** Shows "Retry" (inline and on click). */
  retry: boolean;
}

export type TreeElement =
  ClusterElement | NodeElement | NamespaceElement | PodElement | MessageElement | SectionElement | RowElement;

export function podKey(pod: { namespace: string; name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

/** The cluster's spec model, as the context has it now. */
export function modelOf(cluster: ClusterElement): ClusterModel {
  return cluster.context.model;
}

/** The cluster's live connection. */
export function liveOf(cluster: ClusterElement): LiveCluster {
  return cluster.context.live;
}

/** An element's parent in the tree (reveal walks up with it). */
export function parentOf(element: TreeElement): TreeElement | undefined {
  switch (element.kind) {
    case 'cluster':
      return undefined;
    case 'node':
      return element.cluster;
    case 'namespace':
      return element.node;
    case 'pod':
      return element.grouped ? element.node.groups.get(element.pod.namespace) : element.node;
    case 'message':
      return element.parent;
    case 'section':
      return element.node ?? element.cluster;
    case 'row':
      return element.parent;
  }
}

// A cluster's own objects: a section (Events, Services, Helm Releases, Registration, Storage, Port Forwards;
// a node's Events) whose live list runs while it is expanded, and its rows. Kept by identity like the other
// elements, so a watch refreshes exactly its section.

export type SectionKind = 'events' | 'services' | 'releases' | 'registration' | 'storage' | 'forwards';

export interface SectionElement {
  readonly kind: 'section';
  readonly section: SectionKind;
  readonly cluster: ClusterElement;
  /** A node's own Events section. */
  readonly node?: NodeElement;
  list: LiveList<unknown> | undefined;
  readonly rows: Map<string, RowElement>;
}

export interface RowElement {
  readonly kind: 'row';
  readonly parent: SectionElement;
  readonly id: string;
  label: string;
  description: string;
  tooltip: string;
  icon: string;
  color?: string;
  /** The row's context value for menus (`event`, `service`, `release`, `portForward`…). */
  contextValue: string;
  /** What the row's commands act on. */
  data: unknown;
}

export const SECTION_TITLES: Record<SectionKind, string> = {
  events: 'Events',
  services: 'Services',
  releases: 'Helm Releases',
  registration: 'Registration',
  storage: 'Storage',
  forwards: 'Port Forwards',
};
