// A pod's row in `kubectl get pods` (kubernetes' printPod): READY n/m, STATUS from the phase, the containers'
// waiting/terminated reasons and the deletion timestamp, RESTARTS with the last restart's age.
import type { Json } from '../types';
import { metaOf } from '../types';
import { humanDuration } from './tables';

export function podRow(pod: Json): unknown[] {
  const meta = metaOf(pod);
  const spec = (pod.spec ?? {}) as Json;
  const status = (pod.status ?? {}) as Json;
  const containers = (spec.containers ?? []) as Json[];
  const statuses = (status.containerStatuses ?? []) as Json[];
  let reason = String(status.reason ?? status.phase ?? 'Unknown');
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let hasRunning = false;
  for (const container of [...statuses].reverse()) {
    restarts += Number(container.restartCount ?? 0);
    const state = (container.state ?? {}) as Json;
    const terminated = (container.lastState as Json | undefined)?.terminated as Json | undefined;
    if (terminated?.finishedAt)
      lastRestart = Math.max(lastRestart, Date.parse(String(terminated.finishedAt)));
    const waiting = state.waiting as Json | undefined;
    const ended = state.terminated as Json | undefined;
    if (waiting?.reason) reason = String(waiting.reason);
    else if (ended?.reason) reason = String(ended.reason);
    else if (ended)
      reason = ended.signal ? `Signal:${String(ended.signal)}` : `ExitCode:${String(ended.exitCode)}`;
    else if (state.running && container.ready) {
      hasRunning = true;
      ready++;
    }
  }
  if (reason === 'Completed' && hasRunning) reason = 'Running';
  if (meta.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const restartText = lastRestart
    ? `${restarts} (${humanDuration(Date.now() - lastRestart)} ago)`
    : String(restarts);
  const gates = (spec.readinessGates ?? []) as Json[];
  return [
    String(meta.name),
    `${ready}/${containers.length}`,
    reason,
    restartText,
    meta.creationTimestamp
      ? humanDuration(Date.now() - Date.parse(String(meta.creationTimestamp)))
      : '<unknown>',
    status.podIP ?? '<none>',
    spec.nodeName ?? '<none>',
    status.nominatedNodeName ?? '<none>',
    gates.length ? `0/${gates.length}` : '<none>',
  ];
}
