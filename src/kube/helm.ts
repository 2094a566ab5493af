// Helm 3 releases read from the Secrets helm keeps them in (`sh.helm.release.v1.NAME.vREV`, type
// helm.sh/release.v1, `data.release` = base64(gzip(JSON)) inside the Secret's own base64): chart, version,
// revision, status, last deployed and the user-supplied values, with every secret-looking value masked.
import { gunzipSync } from 'node:zlib';

export const HELM_RELEASE_TYPE = 'helm.sh/release.v1';
export const HELM_LABEL_SELECTOR = 'owner=helm';
export const MASK = '••••••';

export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  appVersion?: string;
  /** Epoch ms. */
  lastDeployed?: number;
  description?: string;
  /** User-supplied values flattened to dotted keys; secrets masked. */
  values: Record<string, string>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

/** Keys whose values are never shown (passwords, tokens, keys, certificates). */
export function isSecretKey(path: string): boolean {
  return /password|passwd|secret|token|credential|private|apikey|api[-_]?key|\bkey\b|cert/i.test(path);
}

/** Flattens helm's nested `config` to dotted keys (lists by index), masking secrets. */
export function flattenValues(config: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (config === null || typeof config !== 'object') {
    if (prefix) out[prefix] = isSecretKey(prefix) ? MASK : String(config);
    return out;
  }
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    // A leaf under a secret-looking key is masked too (secrets.username as well as secrets.defaultPassword).
    if (value !== null && typeof value === 'object') Object.assign(out, flattenValues(value, path));
    else out[path] = isSecretKey(path) ? MASK : String(value);
  }
  return out;
}

/** Decodes one release Secret (as the API returns it: `data.release` base64 once more). */
export function decodeReleaseSecret(secret: Loose): HelmRelease | undefined {
  const encoded = secret?.data?.release;
  if (secret?.type !== HELM_RELEASE_TYPE || typeof encoded !== 'string') return undefined;
  let release: Loose;
  try {
    const helmEncoded = Buffer.from(encoded, 'base64').toString('utf8');
    let raw: Buffer = Buffer.from(helmEncoded, 'base64');
    // helm gzips (magic 1f 8b); very old releases are plain JSON.
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
    release = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const last = Date.parse(release?.info?.last_deployed ?? '');
  return {
    name: String(release?.name ?? secret.metadata?.labels?.name ?? ''),
    namespace: String(release?.namespace ?? secret.metadata?.namespace ?? ''),
    revision: Number(release?.version ?? secret.metadata?.labels?.version ?? 0),
    status: String(release?.info?.status ?? secret.metadata?.labels?.status ?? 'unknown'),
    chart: String(release?.chart?.metadata?.name ?? ''),
    chartVersion: String(release?.chart?.metadata?.version ?? ''),
    appVersion: release?.chart?.metadata?.appVersion,
    lastDeployed: Number.isNaN(last) ? undefined : last,
    description: release?.info?.description,
    values: flattenValues(release?.config ?? {}),
  };
}

/** The current revision of each release (the highest), as `helm list -a` shows them. */
export function currentReleases(secrets: ReadonlyArray<Loose>): HelmRelease[] {
  const latest = new Map<string, HelmRelease>();
  for (const secret of secrets) {
    const release = decodeReleaseSecret(secret);
    if (!release) continue;
    const key = `${release.namespace}/${release.name}`;
    const seen = latest.get(key);
    if (!seen || seen.revision < release.revision) latest.set(key, release);
  }
  return [...latest.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
  );
}

/** How the release differs from what the spec asks: chart version and each value (secrets by key only). */
export function releaseDrift(
  release: HelmRelease,
  wanted: { version: string; values: Record<string, string> } | undefined,
): string[] {
  if (!wanted) return [];
  const drift: string[] = [];
  if (wanted.version && release.chartVersion !== wanted.version)
    drift.push(`chart ${release.chartVersion}, the spec says ${wanted.version}`);
  for (const [key, value] of Object.entries(wanted.values)) {
    const actual = release.values[key];
    if (actual === undefined) drift.push(`${key} not set, the spec says ${isSecretKey(key) ? MASK : value}`);
    else if (actual !== value && actual !== MASK) drift.push(`${key} = ${actual}, the spec says ${value}`);
  }
  return drift;
}
