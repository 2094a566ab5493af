// Pod logs, pod delete, cordon and uncordon through the Kubernetes API (never kubectl). Drain: drain.ts.
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { KubeClient } from './client';

export interface PodLogOptions {
  /** Default: the pod's first container (the API refuses an empty name for pods with several). */
  container?: string;
  tailLines?: number;
  /** Only lines newer than this many seconds. */
  sinceSeconds?: number;
  /** The previous (terminated) instance of the container. */
  previous?: boolean;
  /** Each line prefixed with its RFC 3339 time. */
  timestamps?: boolean;
  follow?: boolean;
  signal?: AbortSignal;
  onLine: (line: string) => void;
}

export interface PodLogStream {
  /** Resolves when the log ends or is stopped; rejects on a stream error. */
  readonly done: Promise<void>;
  stop(): void;
}

/** Opens a pod's log, line by line; resolves once the stream is open (errors such as 404 reject here). */
export async function openPodLog(
  client: KubeClient,
  namespace: string,
  pod: string,
  options: PodLogOptions,
): Promise<PodLogStream> {
  const stream = new PassThrough();
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let stopped = false;
  const flush = () => {
    pending += decoder.end();
    if (pending) options.onLine(pending);
    pending = '';
  };
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      if (stopped) return;
      pending += decoder.write(chunk);
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        options.onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', (err) => (stopped ? resolve() : reject(err)));
  });
  const container =
    options.container ??
    (await client.core.readNamespacedPod({ namespace, name: pod })).spec?.containers[0]?.name ??
    '';
  // Not k8s.Log: it sends the client certificate only on an https.Agent (see direct-transport).
  const controller = await client.transport.log(namespace, pod, container, stream, {
    follow: options.follow ?? false,
    tailLines: options.tailLines,
    sinceSeconds: options.sinceSeconds,
    previous: options.previous,
    timestamps: options.timestamps,
  });
  const stop = () => {
    if (stopped) return;
    flush();
    stopped = true;
    controller.abort();
    stream.end();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  const done = ended
    .then(() => {
      if (!stopped) flush();
    })
    .finally(() => options.signal?.removeEventListener('abort', stop));
  // Marked handled for callers that only stop(); whoever awaits `done` still sees the error.
  done.catch(() => undefined);
  return { done, stop };
}

/** Streams a pod's log line by line; resolves when the log ends or the signal aborts it. */
export async function streamPodLogs(
  client: KubeClient,
  namespace: string,
  pod: string,
  options: PodLogOptions,
): Promise<void> {
  if (options.signal?.aborted) return;
  await (
    await openPodLog(client, namespace, pod, options)
  ).done;
}

/** Pods of one node (server-side `fieldSelector=spec.nodeName=NODE`), or of the whole cluster. */
export async function listPods(client: KubeClient, nodeName?: string): Promise<K8s.V1Pod[]> {
  const fieldSelector = nodeName ? `spec.nodeName=${nodeName}` : undefined;
  return (await client.core.listPodForAllNamespaces({ fieldSelector })).items;
}

/** A pod as the API server sends it (for Describe): JSON with kind and apiVersion, dates as strings. */
export function readPodRaw(client: KubeClient, namespace: string, name: string) {
  return client.getRaw(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
  );
}

/** A node as the API server sends it (for Describe). */
export function readNodeRaw(client: KubeClient, name: string) {
  return client.getRaw(`/api/v1/nodes/${encodeURIComponent(name)}`);
}

/** Deletes a pod: graceful (the pod's own grace period) or forced (grace 0). */
export async function deletePod(
  client: KubeClient,
  namespace: string,
  name: string,
  options: { force?: boolean } = {},
): Promise<void> {
  await client.core.deleteNamespacedPod({
    name,
    namespace,
    gracePeriodSeconds: options.force ? 0 : undefined,
  });
}

/** Sets or clears spec.unschedulable (cordon / uncordon) with a merge patch. */
export async function setUnschedulable(
  client: KubeClient,
  nodeName: string,
  unschedulable: boolean,
): Promise<void> {
  const { k8s } = client;
  await client.core.patchNode(
    { name: nodeName, body: { spec: { unschedulable } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

export const cordon = (client: KubeClient, nodeName: string) => setUnschedulable(client, nodeName, true);
export const uncordon = (client: KubeClient, nodeName: string) => setUnschedulable(client, nodeName, false);

export function podKey(pod: K8s.V1Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
