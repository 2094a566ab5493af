// Helm 3's release storage, as the real helm writes it (pkg/storage/driver/secrets.go): one Secret per
// revision, `sh.helm.release.v1.NAME.vREV`, type `helm.sh/release.v1`, labels name/owner/status/version, and
// `data.release` = base64(gzip(JSON release)) (which the Secret's own base64 wraps once more). So the real
// `helm list` and the product read the lab's releases as they read a cluster's.
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { listObjects, putObject, removeObject } from './store';
import type { Cluster, Json, Release } from './types';
import { metaOf } from './types';

export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';

/** What the chart's values were given as (nested, as helm keeps `config`). */
function nested(values: Record<string, string>): Json {
  const out: Json = {};
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let at = out;
    keys.forEach((key, i) => {
      if (i === keys.length - 1) at[key] = value;
      else at = (at[key] ??= {}) as Json;
    });
  }
  return out;
}

/** The release object helm stores (the fields `helm list`/`status` and the product read). */
function releaseJson(release: Release, status: string, standIn: string | undefined): Json {
  const config = nested(release.values);
  // Real helm keeps the password it was given inside `config`; the lab never keeps it, so it writes a
  // stand-in there (a value the tests can look for: it must never be shown).
  if (standIn) ((config.secrets ??= {}) as Json).defaultPassword = standIn;
  const deployed = release.updated.replace(/\.\d+Z$/, 'Z');
  return {
    name: release.name,
    info: {
      first_deployed: release.firstDeployed ?? deployed,
      last_deployed: deployed,
      deleted: '',
      description: release.revision === 1 ? 'Install complete' : 'Upgrade complete',
      status,
    },
    chart: {
      metadata: {
        name: release.chart,
        version: release.version,
        appVersion: release.version,
        apiVersion: 'v2',
        description: `${release.chart} (lab stand-in)`,
        type: 'application',
      },
      lock: null,
      templates: [],
      values: {},
      schema: null,
      files: [],
    },
    config,
    manifest: `---\n# Source: ${release.chart}/templates/lab.yaml\n`,
    version: release.revision,
    namespace: release.namespace,
  };
}

function encode(release: Json): string {
  const helmEncoded = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
  return Buffer.from(helmEncoded).toString('base64');
}

function secretsOf(cluster: Cluster, release: { name: string; namespace: string }): Json[] {
  return listObjects(cluster, 'secrets', release.namespace).filter((s) => {
    const labels = (metaOf(s).labels ?? {}) as Record<string, string>;
    return s.type === RELEASE_SECRET_TYPE && labels.owner === 'helm' && labels.name === release.name;
  });
}

/** Writes the new revision's Secret (deployed) and marks the earlier ones superseded, as an upgrade does. */
export function storeRevision(cluster: Cluster, release: Release): void {
  const standIns = storedStandIns.get(cluster) ?? new Map<string, string>();
  storedStandIns.set(cluster, standIns);
  const key = `${release.namespace}/${release.name}`;
  if (release.passwordGiven && !standIns.has(key))
    standIns.set(key, `lab-stand-in-${randomBytes(6).toString('hex')}`);
  for (const previous of secretsOf(cluster, release)) {
    const labels = (metaOf(previous).labels ?? {}) as Record<string, string>;
    if (labels.status !== 'deployed') continue;
    const helmEncoded = Buffer.from(String((previous.data as Json).release), 'base64').toString();
    const old = JSON.parse(gunzipSync(Buffer.from(helmEncoded, 'base64')).toString('utf8')) as Json;
    (old.info as Json).status = 'superseded';
    const updated = structuredClone(previous);
    (updated.data as Json).release = encode(old);
    metaOf(updated).labels = { ...labels, status: 'superseded' };
    putObject(cluster, 'secrets', updated);
  }
  const json = releaseJson(release, 'deployed', release.passwordGiven ? standIns.get(key) : undefined);
  putObject(cluster, 'secrets', {
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.revision}`,
      namespace: release.namespace,
      labels: {
        name: release.name,
        owner: 'helm',
        status: 'deployed',
        version: String(release.revision),
        modifiedAt: String(Math.floor(Date.parse(release.updated) / 1000)),
      },
    },
    type: RELEASE_SECRET_TYPE,
    data: { release: encode(json) },
  });
}

/** `helm uninstall` (without --keep-history): every revision's Secret goes. */
export function removeRevisions(cluster: Cluster, release: { name: string; namespace: string }): void {
  for (const secret of secretsOf(cluster, release))
    removeObject(cluster, 'secrets', release.namespace, String(metaOf(secret).name));
  storedStandIns.get(cluster)?.delete(`${release.namespace}/${release.name}`);
}

const storedStandIns = new WeakMap<Cluster, Map<string, string>>();
