// The pods under an expanded node: one pod watch per node (server-side `fieldSelector=spec.nodeName=NODE`),
// its changes turned into item refreshes (a pod's own change refreshes that pod, membership its node), and
// the node's children grouped by namespace when there are many.
import type { ApiPod, LiveCluster } from '../clusters';
import type {
  ClusterElement,
  MessageElement,
  NamespaceElement,
  NodeElement,
  PodElement,
  TreeElement,
} from './elements';
import { podKey } from './elements';
import { filterPods, groupPods } from './core';

export interface PodRefresh {
  /** Refresh these items soon (coalesced). */
  add(element: TreeElement): void;
  /** Refresh what is pending now (the first list answers the user's own expand). */
  flushNow(): void;
}

/** `apiName`: the node's name in the cluster (a VM not renamed yet still has its old one). */
export function startPodWatch(
  node: NodeElement,
  live: LiveCluster,
  refresh: PodRefresh,
  apiName = node.name,
) {
  if (node.podWatch && node.podWatchName === apiName) return node.podWatch;
  // The VM joined under its spec name (it was still named after the OVA): follow the new name.
  if (node.podWatch) stopPodWatch(node);
  const watch = live.watchPods(apiName);
  node.podWatch = watch;
  node.podWatchName = apiName;
  let listed = false;
  watch.onDidChange((change) => {
    if (node.podWatch !== watch) return;
    const pods = watch.pods();
    // The node's description shows the count: VS Code asks for the item before its children.
    if (pods) node.podCount = pods.length;
    if (pods && !listed) {
      listed = true;
      refresh.add(node);
      refresh.flushNow();
      return;
    }
    // Membership changes redraw the node (its children and count); a pod's own change only that pod.
    const structural =
      !change || (change.added?.length ?? 0) > 0 || (change.removed?.length ?? 0) > 0 || !!watch.error;
    if (structural || node.groups.size > 0) {
      for (const key of change?.removed ?? []) node.pods.delete(key);
      refresh.add(node);
      return;
    }
    const byKey = new Map((pods ?? []).map((p) => [podKey(p), p]));
    for (const key of change.changed ?? []) {
      const element = node.pods.get(key);
      const pod = byKey.get(key);
      if (element && pod) {
        element.pod = pod;
        refresh.add(element);
      }
    }
  });
  return watch;
}

export function stopPodWatch(node: NodeElement): void {
  const watch = node.podWatch;
  node.podWatch = undefined;
  node.podWatchName = undefined;
  watch?.dispose();
  node.pods.clear();
  node.groups.clear();
  node.messages.clear();
}

/** The children of an expanded node whose watch runs: its pods (maybe grouped), or a message. */
export function podChildren(node: NodeElement, filterText: string): TreeElement[] {
  const watch = node.podWatch;
  if (!watch) return [];
  if (watch.error) return [message(node, 'error', `Cannot list pods: ${watch.error}`, true)];
  const pods = watch.pods();
  if (!pods) return [message(node, 'loading', 'Loading pods…', false)];
  node.podCount = pods.length;
  const shown = filterPods(pods, filterText);
  if (shown.length === 0)
    return [message(node, 'empty', filterText ? `No pod matches "${filterText}"` : 'No pods', false)];
  const children = groupPods(shown);
  if (children.kind === 'flat') {
    node.groups.clear();
    return children.pods.map((p) => podElement(node, p, false));
  }
  const groups: NamespaceElement[] = [];
  const seen = new Set<string>();
  for (const group of children.groups) {
    seen.add(group.namespace);
    let element = node.groups.get(group.namespace);
    if (!element) {
      element = { kind: 'namespace', node, namespace: group.namespace, pods: group.pods };
      node.groups.set(group.namespace, element);
    }
    element.pods = group.pods;
    for (const pod of group.pods) podElement(node, pod, true);
    groups.push(element);
  }
  for (const ns of [...node.groups.keys()]) if (!seen.has(ns)) node.groups.delete(ns);
  return groups;
}

function message(node: NodeElement, id: string, text: string, retry: boolean): MessageElement {
  let element = node.messages.get(id);
  if (!element) {
    element = { kind: 'message', parent: node, text, severity: retry ? 'error' : 'info', retry };
    node.messages.set(id, element);
  }
  element.text = text;
  return element;
}

export function podElement(node: NodeElement, pod: ApiPod, grouped: boolean): PodElement {
  const key = podKey(pod);
  let element = node.pods.get(key);
  if (!element) {
    element = { kind: 'pod', node, key, pod, grouped };
    node.pods.set(key, element);
  }
  element.pod = pod;
  element.grouped = grouped;
  return element;
}

/** Running pod watches across clusters (tests check that collapsed nodes and hidden views watch nothing). */
export function countPodWatches(clusters: Iterable<ClusterElement>): number {
  let count = 0;
  for (const cluster of clusters) for (const node of cluster.nodes.values()) if (node.podWatch) count++;
  return count;
}

/** The cluster's outage item ("API unreachable … — retrying"), kept while the API is unreachable. */
export function updateErrorItem(cluster: ClusterElement): void {
  const live = cluster.context.live;
  if (live.state !== 'unreachable') {
    cluster.errorItem = undefined;
    return;
  }
  const text = `API unreachable: ${live.error ?? 'no answer'} — retrying`;
  cluster.errorItem ??= { kind: 'message', parent: cluster, text, severity: 'error', retry: true };
  cluster.errorItem.text = text;
  cluster.errorItem.tooltip = `${live.error ?? ''}\nThe tree retries with backoff; click to retry now.`;
}

/** The pod's element once its node's watch lists it (`list` runs the node's children), or undefined. */
export function waitForPod(
  node: NodeElement,
  pod: ApiPod,
  timeoutMs: number,
  list: () => void,
): Promise<PodElement | undefined> {
  const find = () => {
    list();
    return node.pods.get(podKey(pod));
  };
  const found = find();
  if (found || !node.podWatch) return Promise.resolve(found);
  const watch = node.podWatch;
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const subscription = watch.onDidChange(() => {
      const element = find();
      if (element) done(element);
    });
    function done(element: PodElement | undefined): void {
      clearTimeout(timer);
      subscription.dispose();
      resolve(element);
    }
  });
}

/** Resolves once the node's watch has listed (or failed), or after `timeoutMs`; at once without a watch. */
export function firstList(node: NodeElement, timeoutMs: number): Promise<void> {
  const watch = node.podWatch;
  if (!watch || watch.pods() !== undefined || watch.error) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const subscription = watch.onDidChange(() => {
      if (watch.pods() !== undefined || watch.error) done();
    });
    function done(): void {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    }
  });
}
