// The parts kubectl describe shares between kinds: labels, annotations, taints, tolerations and events.
import type { Loose } from './format';
import { since } from './format';
import type { PrefixWriter } from './tabwriter';

const MAX_ANNOTATION_LEN = 140;
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export function printLabels(
  w: PrefixWriter,
  title: string,
  labels: Record<string, string> | undefined,
): void {
  const keys = Object.keys(labels ?? {}).sort();
  w.write(0, `${title}:\t`);
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => w.write(0, `${i === 0 ? '' : '\t'}${key}=${labels?.[key] ?? ''}\n`));
}

export function printAnnotations(w: PrefixWriter, annotations: Record<string, string> | undefined): void {
  w.write(0, 'Annotations:\t');
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) return w.write(0, '<none>\n');
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = String(annotations?.[key] ?? '').replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${key}:\n`);
      for (const s of value.split('\n'))
        w.write(
          0,
          `\t  ${s.length > MAX_ANNOTATION_LEN - 2 ? `${s.slice(0, MAX_ANNOTATION_LEN - 2)}...` : s}\n`,
        );
    } else w.write(0, `${key}: ${value}\n`);
  });
}

export function printTaints(w: PrefixWriter, taints: Loose[] | undefined): void {
  w.write(0, 'Taints:\t');
  const sorted = [...(taints ?? [])].sort((a, b) =>
    `${a.effect},${a.key}` < `${b.effect},${b.key}` ? -1 : 1,
  );
  if (sorted.length === 0) return w.write(0, '<none>\n');
  sorted.forEach((t, i) =>
    w.write(0, `${i === 0 ? '' : '\t'}${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`),
  );
}

export function printTolerations(w: PrefixWriter, tolerations: Loose[] | undefined): void {
  w.write(0, 'Tolerations:\t');
  const sorted = [...(tolerations ?? [])].sort((a, b) =>
    String(a.key ?? '').localeCompare(String(b.key ?? '')),
  );
  if (sorted.length === 0) return w.write(0, '<none>\n');
  sorted.forEach((t, i) => {
    let line = `${i === 0 ? '' : '\t'}${t.key ?? ''}`;
    if (t.value) line += `=${t.value}`;
    if (t.effect) line += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) line += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (typeof t.tolerationSeconds === 'number') line += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${line}\n`);
  });
}

/** The Events block: oldest first (by lastTimestamp), `AGE (xN over FIRST)` for repeats. */
export function printEvents(w: PrefixWriter, events: Loose[] | undefined, now: number): void {
  if (!events || events.length === 0) return w.write(0, 'Events:\t<none>\n');
  const sorted = [...events].sort(
    (a, b) => (Date.parse(a.lastTimestamp ?? '') || 0) - (Date.parse(b.lastTimestamp ?? '') || 0),
  );
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
    else if (Number(e.count) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || '';
    const message = String(e.message ?? '').trim();
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${message}\n`);
  }
}
