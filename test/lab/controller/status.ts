// Status writes by the lab's controllers: only when something changed (each write is a watch event).
import { putObject } from './store';
import type { Cluster, Json, StoredKind } from './types';
import { metaOf } from './types';

/** Writes `status` (with observedGeneration) when it differs from the stored one; says whether it did. */
export function writeIfChanged(cluster: Cluster, kind: StoredKind, object: Json, status: Json): boolean {
  const next = { observedGeneration: metaOf(object).generation ?? 1, ...status };
  if (JSON.stringify(object.status ?? {}) === JSON.stringify(next)) return false;
  const updated = structuredClone(object);
  updated.status = next;
  putObject(cluster, kind, updated);
  return true;
}
