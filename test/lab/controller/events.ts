// Events the lab's controllers write (core/v1 Events, also served as events.k8s.io/v1): the scheduler's,
// the kubelet's, the workload controllers' and the node controller's, with the real reasons and messages.
// A repeat of the same event counts up (as the client-side recorder aggregates); events expire after the
// API server's event TTL (1 h by default) and at most EVENT_LIMIT are kept per cluster.
import { randomBytes } from 'node:crypto';
import { putObject, removeObject } from './store';
import type { Cluster, Json } from './types';
import { metaOf, nowIso } from './types';

export const EVENT_LIMIT = 5000;

/** What an event is about (the involvedObject). Node events carry the node's name as uid, as kubelet's do. */
export interface EventSubject {
  kind: string;
  apiVersion: string;
  namespace?: string;
  name: string;
  uid: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component: string;
  host?: string;
}

/** Settings the model gives: off while a state is being built (a settled lab has no fresh events). */
export const eventSettings = { enabled: true, ttlMs: 3_600_000 };

export function subjectOf(object: Json, kind: string, apiVersion: string): EventSubject {
  const meta = metaOf(object);
  return {
    kind,
    apiVersion,
    namespace: meta.namespace as string | undefined,
    name: String(meta.name),
    uid: String(meta.uid),
    resourceVersion: meta.resourceVersion as string | undefined,
  };
}

export function recordEvent(
  cluster: Cluster,
  subject: EventSubject,
  type: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
): void {
  if (!eventSettings.enabled) return;
  expire(cluster);
  const namespace = subject.namespace || 'default';
  const now = nowIso();
  for (const existing of cluster.objects.events.values()) {
    const involved = existing.involvedObject as Json;
    if (
      involved.uid === subject.uid &&
      existing.reason === reason &&
      existing.message === message &&
      (existing.source as Json).component === source.component
    ) {
      const updated = structuredClone(existing);
      updated.count = Number(existing.count ?? 1) + 1;
      updated.lastTimestamp = now;
      putObject(cluster, 'events', updated);
      return;
    }
  }
  const involvedObject: Json = { kind: subject.kind, name: subject.name, uid: subject.uid };
  if (subject.namespace) involvedObject.namespace = subject.namespace;
  if (subject.apiVersion) involvedObject.apiVersion = subject.apiVersion;
  if (subject.resourceVersion) involvedObject.resourceVersion = subject.resourceVersion;
  if (subject.fieldPath) involvedObject.fieldPath = subject.fieldPath;
  putObject(cluster, 'events', {
    metadata: { name: `${subject.name}.${randomBytes(8).toString('hex')}`, namespace },
    involvedObject,
    reason,
    message,
    source,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? '',
  });
}

function expire(cluster: Cluster): void {
  const events = cluster.objects.events;
  const cutoff = Date.now() - eventSettings.ttlMs;
  for (const event of [...events.values()]) {
    const tooMany = events.size >= EVENT_LIMIT;
    if (!tooMany && Date.parse(String(event.lastTimestamp)) >= cutoff) break;
    const meta = metaOf(event);
    removeObject(cluster, 'events', String(meta.namespace), String(meta.name));
  }
}

/** A core/v1 Event as events.k8s.io/v1 shows it. */
export function toEventsV1(event: Json): Json {
  const source = (event.source ?? {}) as Json;
  return {
    metadata: event.metadata,
    eventTime: event.eventTime ?? `${String(event.firstTimestamp).replace(/Z$/, '')}.000000Z`,
    reportingController: event.reportingComponent ?? source.component ?? '',
    reportingInstance: event.reportingInstance ?? '',
    action: event.reason,
    reason: event.reason,
    regarding: event.involvedObject,
    note: event.message,
    type: event.type,
    deprecatedSource: source,
    deprecatedFirstTimestamp: event.firstTimestamp,
    deprecatedLastTimestamp: event.lastTimestamp,
    deprecatedCount: event.count,
  };
}
