// What the pod commands ask: the container (init containers too), the log's options, and where a live
// object document opens.
import * as vscode from 'vscode';
import type { ApiPod, LogOptions } from '../clusters';
import type { ClusterElement } from '../tree/elements';
import type { DescribeMode } from '../tree/describe-provider';
import type { CommandContext } from './types';

export interface ContainerChoice {
  name: string;
  init: boolean;
  running: boolean;
}

/** The pod's containers and init containers, from the live object. */
export async function containersOf(cluster: ClusterElement, pod: ApiPod): Promise<ContainerChoice[]> {
  const object = (await cluster.context.live.readPod(pod.namespace, pod.name)) as {
    spec?: { containers?: Array<{ name: string }>; initContainers?: Array<{ name: string }> };
    status?: { containerStatuses?: Array<{ name: string; state?: { running?: unknown } }> };
  };
  const running = new Set(
    (object.status?.containerStatuses ?? []).filter((s) => s.state?.running).map((s) => s.name),
  );
  return [
    ...(object.spec?.containers ?? []).map((c) => ({
      name: c.name,
      init: false,
      running: running.has(c.name),
    })),
    ...(object.spec?.initContainers ?? []).map((c) => ({ name: c.name, init: true, running: false })),
  ];
}

export async function pickContainer(
  choices: ContainerChoice[],
  placeHolder: string,
): Promise<string | undefined> {
  if (choices.length <= 1) return choices[0]?.name;
  const picked = await vscode.window.showQuickPick(
    choices.map((c) => ({
      label: c.name,
      description: c.init ? 'init container' : c.running ? 'running' : 'not running',
    })),
    { placeHolder },
  );
  return picked?.label;
}

interface LogPick extends vscode.QuickPickItem {
  apply(options: LogOptions): void;
  range?: boolean;
}

const LOG_PICKS: LogPick[] = [
  { label: 'Follow', description: 'keep streaming new lines', apply: (o) => (o.follow = true) },
  { label: 'Last 200 lines', range: true, apply: (o) => (o.tailLines = 200) },
  { label: 'Last 1000 lines', range: true, apply: (o) => (o.tailLines = 1000) },
  { label: 'Last 5 minutes', range: true, apply: (o) => (o.sinceSeconds = 300) },
  { label: 'Last hour', range: true, apply: (o) => (o.sinceSeconds = 3600) },
  { label: 'Everything', range: true, apply: () => undefined },
  { label: 'Timestamps', description: 'prefix each line with its time', apply: (o) => (o.timestamps = true) },
  {
    label: 'Previous instance',
    description: 'the container before its last restart',
    apply: (o) => (o.previous = true),
  },
];

/** Container (init containers too), then what to show: follow, a tail or a time, timestamps, previous. */
export async function pickLogOptions(cluster: ClusterElement, pod: ApiPod): Promise<LogOptions | undefined> {
  const container = await pickContainer(await containersOf(cluster, pod), `Container of ${pod.name}`);
  if (!container) return undefined;
  const picked = await vscode.window.showQuickPick(
    LOG_PICKS.map((p) => ({ ...p, picked: p.label === 'Follow' || p.label === 'Last 200 lines' })),
    { canPickMany: true, placeHolder: `Logs of ${pod.name} [${container}]: what to show (one range)` },
  );
  if (!picked) return undefined;
  const options: LogOptions = { container, follow: false };
  let range = false;
  for (const p of picked) {
    if (p.range && range) continue;
    range ||= p.range === true;
    p.apply(options);
  }
  if (options.previous) options.follow = false;
  return options;
}

export function logLabel(options: LogOptions): string {
  const parts: string[] = [];
  if (options.container) parts.push(`[${options.container}]`);
  if (options.previous) parts.push('(previous)');
  if (options.sinceSeconds !== undefined) parts.push(`(since ${options.sinceSeconds}s)`);
  if (options.timestamps) parts.push('(timestamps)');
  return parts.join(' ');
}

/** A live read-only document of a pod or node: Describe (kubectl's format), YAML or events. */
export async function openObjectDocument(
  ctx: CommandContext,
  cluster: ClusterElement,
  kind: 'pod' | 'node',
  nodeName: string,
  name: string,
  namespace: string | undefined,
  mode: DescribeMode,
): Promise<string> {
  const uri = ctx.tree.describe.uriFor(
    cluster.context.model.name,
    cluster.context.live,
    cluster.context.views,
    kind,
    nodeName,
    name,
    namespace,
    mode,
  );
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, mode === 'yaml' ? 'yaml' : 'plaintext');
  await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  return uri.toString();
}
