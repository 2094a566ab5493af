// The cluster's own objects as the views show them (events, services, claims, the registration), converted
// from loose API JSON (list replies are deserialised, watch events raw) into plain shapes. Pure.
import { toMillis } from './describe/format';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

export interface ApiEvent {
  uid: string;
  namespace: string;
  type: 'Normal' | 'Warning' | string;
  reason: string;
  message: string;
  count: number;
  /** Epoch ms of the first and the last occurrence. */
  first?: number;
  last?: number;
  source: string;
  object: { kind: string; name: string; namespace?: string; uid?: string };
}

export function eventFromKube(e: Loose): ApiEvent {
  const first = toMillis(e?.eventTime) ?? toMillis(e?.firstTimestamp);
  const last = toMillis(e?.series?.lastObservedTime) ?? toMillis(e?.lastTimestamp) ?? first;
  return {
    uid: String(e?.metadata?.uid ?? `${e?.metadata?.namespace}/${e?.metadata?.name}`),
    namespace: String(e?.metadata?.namespace ?? ''),
    type: String(e?.type ?? 'Normal'),
    reason: String(e?.reason ?? ''),
    message: String(e?.message ?? '').trim(),
    count: Number(e?.series?.count ?? e?.count ?? 1) || 1,
    first,
    last,
    source: String(e?.source?.component || e?.reportingComponent || e?.reportingController || ''),
    object: {
      kind: String(e?.involvedObject?.kind ?? ''),
      name: String(e?.involvedObject?.name ?? ''),
      namespace: e?.involvedObject?.namespace,
      uid: e?.involvedObject?.uid,
    },
  };
}

export interface ApiService {
  namespace: string;
  name: string;
  type: string;
  clusterIp: string;
  loadBalancerIps: string[];
  /** `5480/TCP`, `80:31080/TCP` as kubectl prints them. */
  ports: Array<{ name?: string; port: number; targetPort: string; nodePort?: number; protocol: string }>;
  selector: Record<string, string>;
  release?: string;
}

export function serviceFromKube(s: Loose): ApiService {
  return {
    namespace: String(s?.metadata?.namespace ?? ''),
    name: String(s?.metadata?.name ?? ''),
    type: String(s?.spec?.type ?? 'ClusterIP'),
    clusterIp: String(s?.spec?.clusterIP ?? ''),
    loadBalancerIps: (s?.status?.loadBalancer?.ingress ?? []).flatMap((i: Loose) =>
      i?.ip ? [String(i.ip)] : [],
    ),
    ports: (s?.spec?.ports ?? []).map((p: Loose) => ({
      name: p?.name,
      port: Number(p?.port),
      targetPort: String(p?.targetPort ?? p?.port),
      nodePort: p?.nodePort,
      protocol: String(p?.protocol ?? 'TCP'),
    })),
    selector: { ...(s?.spec?.selector ?? {}) },
    release: s?.metadata?.annotations?.['meta.helm.sh/release-name'],
  };
}

export interface ApiClaim {
  namespace: string;
  name: string;
  phase: string;
  volume?: string;
  capacity?: string;
  requested?: string;
  storageClass?: string;
  accessModes: string[];
}

export function claimFromKube(c: Loose): ApiClaim {
  return {
    namespace: String(c?.metadata?.namespace ?? ''),
    name: String(c?.metadata?.name ?? ''),
    phase: String(c?.status?.phase ?? 'Pending'),
    volume: c?.spec?.volumeName || undefined,
    capacity: c?.status?.capacity?.storage,
    requested: c?.spec?.resources?.requests?.storage,
    storageClass: c?.spec?.storageClassName ?? undefined,
    accessModes: [...(c?.status?.accessModes ?? c?.spec?.accessModes ?? [])],
  };
}

/** The registration as the Gateway Manager reports it in ConfigMap gateway-registration-status. */
export interface ApiRegistration {
  state: string;
  message?: string;
  updated?: number;
  managementProfile?: string;
}

export const REGISTRATION_CONFIGMAP = 'gateway-registration-status';

export function registrationFromKube(cm: Loose): ApiRegistration | undefined {
  const data = cm?.data;
  if (!data) return undefined;
  return {
    state: String(data.state ?? 'unknown'),
    message: data.message || undefined,
    updated: toMillis(data.updated),
    managementProfile: data.managementProfile || data.profile || undefined,
  };
}
