// The watch hub: every change to a cluster's objects gets a resourceVersion, goes into that kind's history
// (the API server's watch cache) and out to the open watches. A watch sees a change as a real one does:
// MODIFIED while the object matches its selectors, ADDED when it starts to, DELETED (with the last state
// it saw, at the new resourceVersion) when it stops to.
import type { Cluster, Json, Kind, WatchEvent } from './types';
import { keyOf } from './types';

/** Per kind: enough for a client that resumes after a short break; older resumes get 410 Expired. */
export const HISTORY_LIMIT = 5000;

/** The cluster-wide resourceVersion counter (shared by all clusters of a lab, as one etcd would be). */
export const counter = { rv: 1000 };

/** Set by the model: every change schedules a state save. */
export const hooks = { changed: (): void => undefined };

const trimmed = new WeakSet<WatchEvent[]>();

export function historyOf(cluster: Cluster, kind: Kind): WatchEvent[] {
  let history = cluster.history.get(kind);
  if (!history) {
    history = [];
    cluster.history.set(kind, history);
  }
  return history;
}

/**
 * Records a change of `object` (stored JSON: its metadata.resourceVersion is set here) and tells the
 * watches. Returns the new resourceVersion.
 */
export function emit(cluster: Cluster, kind: Kind, type: WatchEvent['type'], object: Json): number {
  const rv = ++counter.rv;
  (object.metadata as Json).resourceVersion = String(rv);
  const key = `${kind} ${keyOf(object)}`;
  const prev = cluster.lastSent.get(key);
  const snapshot = structuredClone(object);
  if (type === 'DELETED') cluster.lastSent.delete(key);
  else cluster.lastSent.set(key, snapshot);
  const event: WatchEvent = { rv, type, object: snapshot, prev };
  const history = historyOf(cluster, kind);
  history.push(event);
  if (history.length > HISTORY_LIMIT + 500) {
    history.splice(0, history.length - HISTORY_LIMIT);
    trimmed.add(history);
  }
  for (const watcher of cluster.watchers) if (watcher.kind === kind) watcher.deliver(event);
  hooks.changed();
  return rv;
}

/**
 * What a watch with the filter `matches` sees of an event (the API server's cacheWatcher rules), or
 * undefined when it sees nothing.
 */
export function transition(
  event: WatchEvent,
  matches: (object: Json) => boolean,
): { type: WatchEvent['type']; object: Json } | undefined {
  if (event.type === 'DELETED')
    return matches(event.object) ? { type: 'DELETED', object: event.object } : undefined;
  const now = matches(event.object);
  const before = event.prev !== undefined && matches(event.prev);
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before && event.prev) {
    const last = structuredClone(event.prev);
    (last.metadata as Json).resourceVersion = String(event.rv);
    return { type: 'DELETED', object: last };
  }
  return undefined;
}

/** The oldest resourceVersion a watch of `kind` can resume from: its cache's start, or its oldest kept change. */
export function oldestResumable(cluster: Cluster, kind: Kind): number {
  const history = historyOf(cluster, kind);
  if (!trimmed.has(history)) return cluster.startRv;
  return Math.max(cluster.startRv, (history[0]?.rv ?? 1) - 1);
}
