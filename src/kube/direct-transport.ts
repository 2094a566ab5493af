// Requests and watches of @kubernetes/client-node's API classes sent with the kubeconfig's credentials on
// every request's own options (see apiAccessOf: the client library puts them only on an https.Agent, which
// the editor's extension host swaps for its own, so the API server never sees the client certificate).
import * as https from 'node:https';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { apiAccessOf } from './kubeconfig';
import type { ApiAccess } from './kubeconfig';

type K8sModule = typeof K8s;

function send(
  access: ApiAccess,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
  onResponse: (res: import('node:http').IncomingMessage) => void,
  onError: (err: Error) => void,
) {
  const req = https.request(
    url,
    {
      ...access.tls,
      method: init.method,
      headers: { ...init.headers, ...access.headers },
      signal: init.signal,
    },
    onResponse,
  );
  req.on('error', onError);
  if (init.body !== undefined) req.write(init.body);
  req.end();
  return req;
}

/** An API class (CoreV1Api, CustomObjectsApi, ...) whose requests carry the credentials themselves. */
export function makeDirectApiClient<T>(
  k8s: K8sModule,
  kubeconfigText: string,
  apiClientType: new (config: K8s.Configuration) => T,
): T {
  const access = apiAccessOf(kubeconfigText);
  const httpApi = k8s.wrapHttpLibrary({
    send: (request) =>
      new Promise((resolve, reject) => {
        const body = request.getBody();
        if (body !== undefined && typeof body !== 'string') {
          reject(new Error('Only JSON request bodies are supported.'));
          return;
        }
        send(
          access,
          request.getUrl(),
          {
            method: request.getHttpMethod().toString(),
            headers: request.getHeaders(),
            body,
            signal: request.getSignal(),
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const data = Buffer.concat(chunks);
              const headers: Record<string, string> = {};
              for (const [name, value] of Object.entries(res.headers)) {
                if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
              }
              resolve(
                new k8s.ResponseContext(res.statusCode ?? 0, headers, {
                  text: async () => data.toString('utf8'),
                  binary: async () => data,
                }),
              );
            });
          },
          reject,
        );
      }),
  });
  const config = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(access.server, {}),
    httpApi,
  });
  return new apiClientType(config);
}

/**
 * A watch like k8s.Watch#watch: `onEvent` for each event line, `done` once when the stream ends or fails
 * (not after abort()).
 */
export function directWatch(
  kubeconfigText: string,
  path: string,
  query: Record<string, string>,
  onEvent: (type: string, object: unknown) => void,
  done: (err?: Error) => void,
): AbortController {
  const access = apiAccessOf(kubeconfigText);
  const url = new URL(path, access.server);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  url.searchParams.set('watch', 'true');
  const controller = new AbortController();
  let finished = false;
  const finish = (err?: Error) => {
    if (finished || controller.signal.aborted) return;
    finished = true;
    done(err);
  };
  send(
    access,
    url.toString(),
    { method: 'GET', headers: { accept: 'application/json' }, signal: controller.signal },
    (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        finish(new Error(`watch ${path}: HTTP-Code: ${res.statusCode ?? 0}`));
        return;
      }
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (!line) continue;
          try {
            const event = JSON.parse(line) as { type?: string; object?: unknown };
            onEvent(event.type ?? '', event.object);
          } catch (err) {
            finish(err as Error);
            controller.abort();
            return;
          }
        }
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => finish());
    },
    (err) => finish(err),
  );
  return controller;
}
