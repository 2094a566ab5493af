// The load balancer's elements under a load-balanced cluster: the load balancer, its frontends, its backend
// and the backend's servers (the gateways), with their live state from the runtime API.
import type { ClusterElement } from './elements';

export interface LoadBalancerElement {
  readonly kind: 'loadBalancer';
  readonly cluster: ClusterElement;
  readonly frontends: Map<string, FrontendElement>;
  backend: BackendElement | undefined;
  /** The poll subscription while the element is expanded and the view visible. */
  watch: { dispose(): void } | undefined;
}

export interface FrontendElement {
  readonly kind: 'frontend';
  readonly lb: LoadBalancerElement;
  readonly name: string;
}

export interface BackendElement {
  readonly kind: 'backend';
  readonly lb: LoadBalancerElement;
  readonly name: string;
  readonly servers: Map<string, ServerElement>;
}

export interface ServerElement {
  readonly kind: 'server';
  readonly backend: BackendElement;
  readonly name: string;
}

export type LbTreeElement = LoadBalancerElement | FrontendElement | BackendElement | ServerElement;

export function lbParentOf(element: LbTreeElement): ClusterElement | LbTreeElement {
  switch (element.kind) {
    case 'loadBalancer':
      return element.cluster;
    case 'frontend':
    case 'backend':
      return element.lb;
    case 'server':
      return element.backend;
  }
}
