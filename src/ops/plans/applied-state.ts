// What Deploy applied with each release, recorded beside it (ConfigMap `gateway-cluster-applied`), so that a
// re-run tells drift from done: the chart version and values as given, a secret only as a salted scrypt
// digest (compared without reading the secret back from the cluster, and slow to guess from).
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ClusterApi } from '../ports';
import { NAMESPACE } from '../node-commands';

export const APPLIED_CONFIGMAP = 'gateway-cluster-applied';

/** What one release was installed with. */
export interface AppliedRelease {
  version: string;
  /** Non-secret values (`--set` pairs and which values files), as strings. */
  values: Record<string, string>;
  /** `scrypt$<salt>$<digest>` (base64) of the secret value given to the chart, if any. */
  secretDigest?: string;
}

const SCRYPT_COST = { N: 16384, r: 8, p: 1 };

export function secretDigest(secret: string, salt = randomBytes(16)): string {
  const digest = scryptSync(secret, salt, 32, SCRYPT_COST);
  return `scrypt$${salt.toString('base64')}$${digest.toString('base64')}`;
}

export function secretMatches(secret: string, recorded: string | undefined): boolean {
  const [scheme, salt, digest] = (recorded ?? '').split('$');
  if (scheme !== 'scrypt' || !salt || !digest) return false;
  const expected = Buffer.from(digest, 'base64');
  const actual = scryptSync(secret, Buffer.from(salt, 'base64'), expected.length || 32, SCRYPT_COST);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function parseRecord(text: string | undefined): AppliedRelease | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<AppliedRelease>;
    if (typeof value.version !== 'string' || typeof value.values !== 'object' || value.values === null)
      return undefined;
    return {
      version: value.version,
      values: Object.fromEntries(Object.entries(value.values).map(([k, v]) => [k, String(v)])),
      secretDigest: typeof value.secretDigest === 'string' ? value.secretDigest : undefined,
    };
  } catch {
    return undefined;
  }
}

export async function readApplied(api: ClusterApi, release: string): Promise<AppliedRelease | undefined> {
  return parseRecord((await api.readConfigMap(NAMESPACE, APPLIED_CONFIGMAP))?.data[release]);
}

export async function recordApplied(
  api: ClusterApi,
  release: string,
  applied: AppliedRelease,
): Promise<void> {
  const data = { ...((await api.readConfigMap(NAMESPACE, APPLIED_CONFIGMAP))?.data ?? {}) };
  data[release] = JSON.stringify(applied);
  await api.applyConfigMap(NAMESPACE, APPLIED_CONFIGMAP, data);
}

/**
 * What differs between the record and what the spec wants now, in words (empty: nothing). `secret` is the
 * stored secret the chart gets, compared with the recorded digest.
 */
export function differences(
  recorded: AppliedRelease | undefined,
  wanted: Omit<AppliedRelease, 'secretDigest'>,
  secret?: { value: string; what: string },
): string[] {
  if (!recorded) return ['there is no record of the values it was installed with'];
  const out: string[] = [];
  if (recorded.version !== wanted.version)
    out.push(`chart version ${recorded.version} was applied, the spec asks for ${wanted.version}`);
  const keys = [...new Set([...Object.keys(recorded.values), ...Object.keys(wanted.values)])].sort();
  for (const key of keys) {
    const [was, now] = [recorded.values[key], wanted.values[key]];
    if (was !== now) out.push(`${key} was ${was ?? 'not set'}, the spec asks for ${now ?? 'nothing'}`);
  }
  if (secret && !secretMatches(secret.value, recorded.secretDigest))
    out.push(`${secret.what} differs from the one applied`);
  return out;
}
