// List and watch of any resource: selectors (a 400 for an unsupported field), paging with limit/continue,
// Tables for kubectl, and watches as a real API server runs them — headers flushed at once, one JSON
// event per line, resume from a resourceVersion (410 Expired when too old), DELETED when an object leaves
// the selectors, bookmarks when allowed, and an end after `timeoutSeconds` (or a random 30-60 min).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toEventsV1 } from '../events';
import { historyOf, oldestResumable, transition } from '../hub';
import type { LabModel } from '../model';
import { withKind, type Resource } from '../resources';
import { timing } from '../timing';
import type { Cluster, Json, Watcher } from '../types';
import { metaOf } from '../types';
import { ApiError, send, statusBody } from './http';
import { fieldSelector, labelSelector } from './selectors';
import { toTable, wantsTable } from './tables';

/** The objects of a resource now (JSON as stored, not copied). */
export function currentObjects(model: LabModel, cluster: Cluster, r: Resource): Json[] {
  if (r.kind === 'nodes') return [...cluster.k8sNodes.values()].map((n) => model.nodeJson(n));
  if (r.kind === 'pods') return [...cluster.pods.values()].map((p) => p.object);
  return [...cluster.objects[r.kind].values()];
}

/** The object as this resource shows it (events.k8s.io/v1 events are converted), with kind and apiVersion. */
export function present(r: Resource, object: Json): Json {
  return withKind(r, r.kind === 'events' && r.group === 'events.k8s.io' ? toEventsV1(object) : object);
}

/** One object (GET by name): a one-row Table when kubectl asks for one. */
export function one(r: Resource, req: IncomingMessage, object: Json): Json {
  if (!wantsTable(req.headers.accept)) return object;
  const url = new URL(req.url ?? '/', 'https://lab');
  return toTable(
    r,
    [object],
    String(metaOf(object).resourceVersion ?? ''),
    url.searchParams.get('includeObject'),
  );
}

const byName = (a: Json, b: Json): number => {
  const ma = metaOf(a);
  const mb = metaOf(b);
  return `${String(ma.namespace ?? '')}/${String(ma.name)}`.localeCompare(
    `${String(mb.namespace ?? '')}/${String(mb.name)}`,
  );
};

export function listOrWatch(
  model: LabModel,
  cluster: Cluster,
  r: Resource,
  namespace: string | null,
  q: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const byField = fieldSelector(r, q.get('fieldSelector'));
  const byLabel = labelSelector(q.get('labelSelector'));
  const matches = (object: Json): boolean =>
    (namespace === null || metaOf(object).namespace === namespace) && byField(object) && byLabel(object);
  const table = wantsTable(req.headers.accept);
  const includeObject = q.get('includeObject');
  const render = (objects: Json[], rv: string): Json =>
    table
      ? toTable(
          r,
          objects.map((o) => present(r, o)),
          rv,
          includeObject,
        )
      : {
          kind: `${r.kindName}List`,
          apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
          metadata: { resourceVersion: rv },
          items: objects.map((o) => {
            const { kind: _k, apiVersion: _a, ...rest } = present(r, structuredClone(o));
            return rest;
          }),
        };
  if (q.get('watch') !== 'true' && q.get('watch') !== '1') {
    const all = currentObjects(model, cluster, r).filter(matches).sort(byName);
    const rv = String(model.rv);
    const limit = Number(q.get('limit') ?? 0);
    let start = 0;
    const token = q.get('continue');
    if (token) {
      try {
        start = Number(
          (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { start: number }).start,
        );
      } catch {
        throw new ApiError(400, 'BadRequest', 'continue key is not valid');
      }
    }
    const page = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const body = render(page, rv);
    if (limit > 0 && start + limit < all.length) {
      const metadata = body.metadata as Json;
      metadata.continue = Buffer.from(JSON.stringify({ start: start + limit, rv })).toString('base64');
      metadata.remainingItemCount = all.length - start - limit;
    }
    send(res, 200, body);
    return;
  }
  const rvText = q.get('resourceVersion');
  const sinceRv = rvText && rvText !== '0' ? Number(rvText) : null;
  if (sinceRv !== null && !Number.isFinite(sinceRv))
    throw new ApiError(400, 'BadRequest', `invalid resourceVersion "${rvText}"`);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const write = (type: string, object: Json): void => {
    if (res.writableEnded) return;
    const shown = table
      ? toTable(r, [present(r, object)], String(metaOf(object).resourceVersion ?? ''), includeObject)
      : present(r, object);
    res.write(JSON.stringify({ type, object: shown }) + '\n');
  };
  if (sinceRv !== null) {
    const oldest = oldestResumable(cluster, r.kind);
    if (sinceRv < oldest) {
      res.write(
        JSON.stringify({
          type: 'ERROR',
          object: statusBody(410, 'Expired', `too old resource version: ${sinceRv} (${oldest})`),
        }) + '\n',
      );
      res.end();
      return;
    }
    for (const event of historyOf(cluster, r.kind)) {
      if (event.rv <= sinceRv) continue;
      const seen = transition(event, matches);
      if (seen) write(seen.type, seen.object);
    }
  } else {
    for (const object of currentObjects(model, cluster, r).filter(matches)) write('ADDED', object);
  }
  let bookmarkTimer: NodeJS.Timeout | undefined;
  const watcher: Watcher = {
    kind: r.kind,
    deliver: (event) => {
      const seen = transition(event, matches);
      if (seen) write(seen.type, seen.object);
    },
    close: () => {
      cluster.watchers.delete(watcher);
      clearInterval(bookmarkTimer);
      clearTimeout(timeoutTimer);
      if (!res.writableEnded) res.end();
    },
  };
  cluster.watchers.add(watcher);
  if (q.get('allowWatchBookmarks') === 'true') {
    bookmarkTimer = setInterval(() => {
      if (res.writableEnded) return;
      const object = {
        kind: r.kindName,
        apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
        metadata: { resourceVersion: String(model.rv) },
      };
      res.write(JSON.stringify({ type: 'BOOKMARK', object }) + '\n');
    }, timing.bookmarkMs);
  }
  // The server ends every watch: after the client's timeoutSeconds, else after --min-request-timeout × [1, 2).
  const asked = Number(q.get('timeoutSeconds') ?? '0');
  const timeoutMs = asked > 0 ? asked * 1000 : timing.minRequestTimeoutMs * (1 + Math.random());
  const timeoutTimer = setTimeout(() => watcher.close(), timeoutMs);
  req.on('close', () => watcher.close());
  res.on('close', () => watcher.close());
}
