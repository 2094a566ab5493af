// Requests, watches and log streams to the Kubernetes API sent with the kubeconfig's credentials on every
// request's own options (see apiAccessOf: the client library puts them only on an https.Agent, which the
// editor's extension host swaps for its own, so the API server never sees the client certificate). One
// transport for the wizards (ops adapter) and the Clusters tree (KubeClient, WatchCache, pod logs).
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import * as https from 'node:https';
import type { Writable } from 'node:stream';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { apiAccessOf } from './kubeconfig';
import type { ApiAccess } from './kubeconfig';

type K8sModule = typeof K8s;

/** How long one API request may take before it is abandoned (a server that accepts and never answers). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How long a watch or log may take to send its response headers. */
export const STREAM_OPEN_TIMEOUT_MS = 30_000;

interface SendInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Abandons the request when no response headers came within this time. */
  headersTimeoutMs?: number;
  /** For long-lived streams: TCP keepalive notices a server that vanished (as the client library's Watch). */
  keepAlive?: boolean;
}

function send(
  access: ApiAccess,
  url: string,
  init: SendInit,
  onResponse: (res: IncomingMessage) => void,
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
  if (init.headersTimeoutMs !== undefined) {
    const ms = init.headersTimeoutMs;
    const timer = setTimeout(
      () => req.destroy(new Error(`${new URL(url).host} did not answer within ${duration(ms)}`)),
      ms,
    );
    req.on('response', () => clearTimeout(timer));
    req.on('close', () => clearTimeout(timer));
  }
  if (init.keepAlive) req.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
  if (init.body !== undefined) req.write(init.body);
  req.end();
  return req;
}

function headersOf(res: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function readBody(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A watch failure that ListWatch understands: `statusCode` 410 makes it relist. */
export class WatchHttpError extends Error {
  override readonly name = 'WatchHttpError';
  constructor(
    readonly statusCode: number,
    path: string,
  ) {
    super(`watch ${path}: HTTP-Code: ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trimEnd());
  }
}

type WatchQuery = Record<string, string | number | boolean | undefined>;

/**
 * One watch stream: `onEvent` for each event line, `onOpen` once the server accepted it (HTTP 200), `done`
 * once when the stream ends or fails (never after abort()).
 */
function openWatch(
  access: ApiAccess,
  openTimeoutMs: number,
  path: string,
  query: WatchQuery,
  onEvent: (type: string, object: unknown, event: unknown) => void,
  done: (err?: Error) => void,
  onOpen?: () => void,
): AbortController {
  const url = new URL(path, access.server);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
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
    {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: controller.signal,
      keepAlive: true,
      headersTimeoutMs: openTimeoutMs,
    },
    (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        finish(new WatchHttpError(res.statusCode ?? 0, path));
        return;
      }
      onOpen?.();
      res.setEncoding('utf8');
      let pending = '';
      res.on('data', (chunk: string) => {
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (!line) continue;
          let event: { type?: string; object?: unknown };
          try {
            event = JSON.parse(line) as typeof event;
          } catch (err) {
            // A garbled stream: better a restart (and relist) than a cache that silently missed an event.
            finish(err as Error);
            controller.abort();
            return;
          }
          onEvent(event.type ?? '', event.object, event);
        }
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => finish());
      // A connection lost mid-stream closes the response without 'end'.
      res.on('close', () => {
        if (!res.complete) finish(new Error(`watch ${path}: connection lost`));
      });
    },
    (err) => finish(err),
  );
  return controller;
}

/** The kubeconfig's server and credentials, for API classes, watches and pod logs. */
/** How long the API may take (tests shorten them). */
export interface TransportTimeouts {
  /** One request (default REQUEST_TIMEOUT_MS). */
  requestMs?: number;
  /** The response headers of a watch or a log (default STREAM_OPEN_TIMEOUT_MS). */
  streamOpenMs?: number;
}

export class DirectTransport {
  private readonly access: ApiAccess;

  constructor(
    private readonly k8s: K8sModule,
    kubeconfigText: string,
    private readonly timeouts: TransportTimeouts = {},
  ) {
    this.access = apiAccessOf(kubeconfigText);
  }

  get server(): string {
    return this.access.server;
  }

  /**
   * An API class (CoreV1Api, CustomObjectsApi, ...) whose requests carry the credentials themselves. Every
   * request is abandoned after `timeoutMs` and when `signal` aborts (an operation's cancel).
   */
  api<T>(
    apiClientType: new (config: K8s.Configuration) => T,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): T {
    const { k8s, access } = this;
    const timeoutMs = options.timeoutMs ?? this.timeouts.requestMs ?? REQUEST_TIMEOUT_MS;
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
              signal: anySignal([request.getSignal(), options.signal, AbortSignal.timeout(timeoutMs)]),
            },
            (res) => {
              readBody(res).then((data) => {
                resolve(
                  new k8s.ResponseContext(res.statusCode ?? 0, headersOf(res), {
                    text: async () => data.toString('utf8'),
                    binary: async () => data,
                  }),
                );
              }, reject);
            },
            (err) => reject(timeoutMessage(err, access.server, timeoutMs)),
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
   * k8s.Watch#watch over this transport, for ListWatch: resolves once the server accepted the watch (or
   * after `done` reported why not), so an informer's start() still means "listed and watching".
   */
  readonly watch = (
    path: string,
    queryParams: WatchQuery,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> =>
    new Promise((resolve) => {
      const controller = openWatch(
        this.access,
        this.timeouts.streamOpenMs ?? STREAM_OPEN_TIMEOUT_MS,
        path,
        queryParams,
        callback,
        (err) => {
          done(err ?? null);
          resolve(controller);
        },
        () => resolve(controller),
      );
    });

  /**
   * What the client's WebSocketHandler (exec, port-forward) asks of a KubeConfig: the server, and the
   * credentials put on the WebSocket's own request options, never on an agent (see the file's header).
   */
  webSocketConfig(): K8s.KubeConfig {
    const { access } = this;
    return {
      getCurrentCluster: () => ({ name: 'cluster', server: access.server, skipTLSVerify: false }),
      applyToHTTPSOptions: async (opts: Record<string, unknown>) => {
        Object.assign(opts, access.tls, { headers: { ...access.headers } });
      },
    } as unknown as K8s.KubeConfig;
  }

  /** This transport as the `watch` argument of k8s.ListWatch (which only ever calls watch()). */
  asWatch(): K8s.Watch {
    return { watch: this.watch } as unknown as K8s.Watch;
  }

  /**
   * k8s.Log#log over this transport: resolves once the log is open (its body then flows into `stream`),
   * rejects with an ApiException on an HTTP error. Abort the returned controller to stop following; a
   * connection lost mid-stream destroys `stream` with the error.
   */
  log(
    namespace: string,
    pod: string,
    container: string,
    stream: Writable,
    options: K8s.LogOptions = {},
  ): Promise<AbortController> {
    const { k8s, access } = this;
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    const url = new URL(path, access.server);
    url.searchParams.set('container', container);
    k8s.AddOptionsToSearchParams(options, url.searchParams);
    const controller = new AbortController();
    return new Promise((resolve, reject) => {
      send(
        access,
        url.toString(),
        {
          method: 'GET',
          headers: {},
          signal: controller.signal,
          keepAlive: options.follow,
          headersTimeoutMs: this.timeouts.streamOpenMs ?? STREAM_OPEN_TIMEOUT_MS,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            readBody(res).then((data) => {
              let body: { code?: unknown; message?: unknown } | undefined;
              try {
                body = JSON.parse(data.toString('utf8')) as typeof body;
              } catch {
                // Not a Status object: the code alone says what went wrong.
              }
              const message =
                typeof body?.message === 'string' ? body.message : 'Error occurred in log request';
              const code = status === 500 && typeof body?.code === 'number' ? body.code : status;
              reject(new k8s.ApiException(code, message, body, headersOf(res)));
            }, reject);
            return;
          }
          res.on('close', () => {
            if (!res.complete && !controller.signal.aborted)
              stream.destroy(new Error(`log of ${pod}: connection lost`));
          });
          res.on('error', (err) => {
            if (!controller.signal.aborted) stream.destroy(err);
          });
          res.pipe(stream);
          resolve(controller);
        },
        reject,
      );
    });
  }
}

function anySignal(signals: ReadonlyArray<AbortSignal | undefined>): AbortSignal {
  return AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
}

/** An abort by the request timeout says so in words (Node reports it as a bare TimeoutError). */
function timeoutMessage(err: Error, server: string, timeoutMs: number): Error {
  if (err.name === 'TimeoutError' || (err.cause as Error | undefined)?.name === 'TimeoutError')
    return new Error(`The Kubernetes API at ${server} did not answer within ${duration(timeoutMs)}.`);
  return err;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
