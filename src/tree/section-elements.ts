// The tree's elements for a cluster's own objects: a section (Events, Services, Helm Releases,
// Registration, Storage, Port Forwards; a node's Events) whose live list runs while it is expanded, and
// its rows. Kept by identity like the other elements, so a watch refreshes exactly its section.
import type { LiveList } from '../clusters';
import type { ClusterElement, NodeElement } from './elements';

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
