// A minimal OpenAPI v3 (/openapi/v3 and one document per group version): enough for kubectl to learn
// that the server validates fields itself (each kind's PATCH operation takes `fieldValidation`), so
// `kubectl create -f` sends `fieldValidation=Strict` instead of downloading schemas. It holds no schemas:
// a client that needs them (`kubectl explain`, client-side apply) finds none.
import { createHash } from 'node:crypto';
import { RESOURCES, apiVersionOf, type Resource } from '../resources';
import type { Json } from '../types';

const PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

const pathKey = (gv: string): string => (gv === 'v1' ? 'api/v1' : `apis/${gv}`);

function groupVersions(): string[] {
  return [...new Set(RESOURCES.map(apiVersionOf))];
}

function document(gv: string): Json {
  const paths: Json = {};
  for (const r of RESOURCES.filter((x: Resource) => apiVersionOf(x) === gv)) {
    const base = `/${pathKey(gv)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${r.kindName}`,
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kindName },
        // kubectl looks for fieldValidation among the PATCH operation's own parameters.
        parameters: PARAMETERS,
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.3' },
    paths,
    components: { schemas: {} },
  };
}

const hashOf = (gv: string): string =>
  createHash('sha512')
    .update(JSON.stringify(document(gv)))
    .digest('hex')
    .slice(0, 128)
    .toUpperCase();

/** The answer for a path under /openapi/v3, or undefined (404). */
export function openApiV3(path: string): Json | undefined {
  if (path === '/openapi/v3') {
    const paths: Json = {};
    for (const gv of groupVersions())
      paths[pathKey(gv)] = { serverRelativeURL: `/openapi/v3/${pathKey(gv)}?hash=${hashOf(gv)}` };
    return { paths };
  }
  const gv = groupVersions().find((candidate) => path === `/openapi/v3/${pathKey(candidate)}`);
  return gv ? document(gv) : undefined;
}
