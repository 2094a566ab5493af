// `kubectl describe pod` as kubectl 1.33 prints it (k8s.io/kubectl/pkg/describe: describePod), from the pod's
// JSON and its events: pure, so the Describe document renders without kubectl and tests compare it with the
// real kubectl's output for the same objects.
import { printAnnotations, printEvents, printLabels, printTolerations } from './common';
import type { Loose } from './format';
import { formatQuantity, orNone, parseQuantity, rfc1123z, since } from './format';
import { PrefixWriter } from './tabwriter';

export interface DescribeOptions {
  /** Epoch ms the ages are measured to. */
  now: number;
  /** Times in the workstation's zone (as kubectl prints them) or UTC (tests). */
  zone?: 'utc' | 'local';
}

export function describePod(pod: Loose, events: Loose[] | undefined, options: DescribeOptions): string {
  const { now } = options;
  const time = (value: unknown) => rfc1123z(value, options.zone);
  const meta = pod?.metadata ?? {};
  const spec = pod?.spec ?? {};
  const status = pod?.status ?? {};
  const w = new PrefixWriter();
  w.write(0, `Name:\t${meta.name ?? ''}\n`);
  w.write(0, `Namespace:\t${meta.namespace ?? ''}\n`);
  if (typeof spec.priority === 'number') w.write(0, `Priority:\t${spec.priority}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
  if (status.startTime) w.write(0, `Start Time:\t${time(status.startTime)}\n`);
  printLabels(w, 'Labels', meta.labels);
  printAnnotations(w, meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
  } else w.write(0, `Status:\t${status.phase ?? ''}\n`);
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const ips: Loose[] = status.podIPs ?? [];
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const owner = (meta.ownerReferences ?? []).find((o: Loose) => o?.controller);
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
  if (spec.initContainers?.length)
    containers(w, 'Init Containers', spec.initContainers, status.initContainerStatuses, time);
  containers(w, 'Containers', spec.containers ?? [], status.containerStatuses, time);
  const conditions: Loose[] = status.conditions ?? [];
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  volumes(w, spec.volumes);
  w.write(0, `QoS Class:\t${status.qosClass ?? qosClass(spec)}\n`);
  printLabels(w, 'Node-Selectors', spec.nodeSelector);
  printTolerations(w, spec.tolerations);
  if (events) printEvents(w, events, now);
  return w.toString();
}

function containers(
  w: PrefixWriter,
  label: string,
  list: Loose[],
  statusList: Loose[] | undefined,
  time: (v: unknown) => string,
): void {
  const statuses = new Map((statusList ?? []).map((s: Loose) => [s.name, s]));
  w.write(0, `${label}:${list.length === 0 ? ' <none>' : ''}\n`);
  for (const c of list) {
    const s = statuses.get(c.name);
    w.write(1, `${c.name}:\n`);
    if (s) w.write(2, `Container ID:\t${s.containerID ?? ''}\n`);
    w.write(2, `Image:\t${c.image ?? ''}\n`);
    if (s) w.write(2, `Image ID:\t${s.imageID ?? ''}\n`);
    const ports: Loose[] = c.ports ?? [];
    const named = (p: Loose, n: unknown) => `${n}/${p.protocol ?? ''}`;
    const portText = ports.map((p) => named(p, p.containerPort)).join(', ');
    const hostText = ports.map((p) => named(p, p.hostPort ?? 0)).join(', ');
    w.write(2, portText.includes(',') ? `Ports:\t${portText}\n` : `Port:\t${orNone(portText)}\n`);
    w.write(2, hostText.includes(',') ? `Host Ports:\t${hostText}\n` : `Host Port:\t${orNone(hostText)}\n`);
    for (const [title, lines] of [
      ['Command', c.command],
      ['Args', c.args],
    ] as const) {
      if (!lines?.length) continue;
      w.write(2, `${title}:\n`);
      for (const line of lines as string[]) for (const part of line.split('\n')) w.write(3, `${part}\n`);
    }
    if (s) {
      state(w, 'State', s.state, time);
      if (s.lastState?.terminated) state(w, 'Last State', s.lastState, time);
      w.write(2, `Ready:\t${s.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${s.restartCount ?? 0}\n`);
    }
    resources(w, c.resources);
    const env: Loose[] = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
    for (const e of env) {
      if (e.valueFrom?.secretKeyRef)
        w.write(
          3,
          `${e.name}:\t<set to the key '${e.valueFrom.secretKeyRef.key}' in secret '${e.valueFrom.secretKeyRef.name}'>\tOptional: ${e.valueFrom.secretKeyRef.optional === true}\n`,
        );
      else if (e.valueFrom?.configMapKeyRef)
        w.write(
          3,
          `${e.name}:\t<set to the key '${e.valueFrom.configMapKeyRef.key}' of config map '${e.valueFrom.configMapKeyRef.name}'>\tOptional: ${e.valueFrom.configMapKeyRef.optional === true}\n`,
        );
      else if (e.valueFrom?.fieldRef)
        w.write(
          3,
          `${e.name}:\t (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})\n`,
        );
      else
        String(e.value ?? '')
          .split('\n')
          .forEach((part, i) => w.write(3, i === 0 ? `${e.name}:\t${part}\n` : `\t${part}\n`));
    }
    const mounts: Loose[] = [...(c.volumeMounts ?? [])].sort((a, b) =>
      String(a.mountPath).localeCompare(String(b.mountPath)),
    );
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])];
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
    }
  }
}

function state(w: PrefixWriter, name: string, value: Loose, time: (v: unknown) => string): void {
  if (value?.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${time(value.running.startedAt)}\n`);
  } else if (value?.terminated) {
    const t = value.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${time(t.startedAt)}\n`);
    w.write(3, `Finished:\t${time(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
    if (value?.waiting?.reason) w.write(3, `Reason:\t${value.waiting.reason}\n`);
  }
}

function resources(w: PrefixWriter, r: Loose): void {
  for (const [title, list] of [
    ['Limits', r?.limits],
    ['Requests', r?.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const n of names) w.write(3, `${n}:\t${formatQuantity(parseQuantity(list[n]))}\n`);
  }
}

function volumes(w: PrefixWriter, list: Loose[] | undefined): void {
  if (!list?.length) return w.write(0, 'Volumes:\t<none>\n');
  w.write(0, 'Volumes:\n');
  for (const v of list) {
    w.write(1, `${v.name}:\n`);
    if (v.hostPath)
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`,
      );
    else if (v.emptyDir)
      w.write(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`,
      );
    else if (v.secret)
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional === true}\n`,
      );
    else if (v.configMap)
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional === true}\n`,
      );
    else if (v.nfs)
      w.write(
        2,
        `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v.nfs.server}\n    Path:\t${v.nfs.path}\n    ReadOnly:\t${v.nfs.readOnly === true}\n`,
      );
    else if (v.persistentVolumeClaim)
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`,
      );
    else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret)
          w.write(2, `SecretName:\t${s.secret.name}\n    Optional:\t${s.secret.optional === true}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap)
          w.write(
            2,
            `ConfigMapName:\t${s.configMap.name}\n    Optional:\t${s.configMap.optional === true}\n`,
          );
        else if (s.serviceAccountToken)
          w.write(2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds}\n`);
      }
    } else w.write(1, '<unknown>\n');
  }
}

/** qos.GetPodQOS for pods whose status does not say (older servers). */
function qosClass(spec: Loose): string {
  const all: Loose[] = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const request = req[r] ?? lim[r];
      if (lim[r] === undefined || parseQuantity(request).value !== parseQuantity(lim[r]).value)
        guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
