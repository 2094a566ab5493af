// diagnostics (seed 004's diagnostics bundle, MicroK8s' troubleshooting): `microk8s inspect` on every node at
// once, each report tarball downloaded over SFTP into `.gateway-cluster/diagnostics/<time>/<hostname>/` with
// its size and SHA-256, then the cluster's events and the gateway pods' recent logs, and a summary. A node that
// is down fails its own row and is named in the summary; the others are collected all the same.
import type { ClusterModel, NodeModel } from '../../cluster-spec/types';
import { MANAGER_RELEASE, NAMESPACE, STORAGE_RELEASE, cmd } from '../node-commands';
import { StepFailure } from '../errors';
import type { Plan, Step, StepContext } from '../plan';
import type { ArtifactFolder, SavedFile } from '../ports';
import { eventsTable } from './events-table';
import { kubeconfigStep } from './kubeconfig';
import { assertUsable } from './validate';

/** The collection so far (shared, and reported live under this key). */
export const DIAGNOSTICS = 'diagnostics.collected';

export interface DiagnosticsFile {
  /** The node it came from; absent for the cluster's own files (events, logs, summary). */
  node?: string;
  /** Relative to the folder. */
  file: string;
  bytes: number;
  sha256: string;
}

export interface DiagnosticsResult {
  /** The folder on this machine (absolute). */
  folder: string;
  files: DiagnosticsFile[];
  /** Nodes (or parts) that could not be collected, with why. */
  missing: Array<{ node?: string; what: string; reason: string }>;
}

/** Where `microk8s inspect` leaves its report (scripts/inspect.sh: `$SNAP_DATA/inspection-report-TIME.tar.gz`). */
const REPORT_PATH =
  /Report tarball is at (\/var\/snap\/microk8s\/[^/\s]+\/(inspection-report-\d{8}_\d{6}\.tar\.gz))\s*$/m;
/** How many log lines of each gateway pod are kept. */
const LOG_LINES = 1000;
const GATEWAY_RELEASES = [STORAGE_RELEASE, MANAGER_RELEASE];

export interface DiagnosticsOptions {
  timeouts: { long: number };
  /** The folder's name (default: the time it is made, `2026-12-05T14-22-44Z`). */
  folderName?: () => string;
}

function resultOf(ctx: StepContext): DiagnosticsResult | undefined {
  return ctx.shared.get(DIAGNOSTICS) as DiagnosticsResult | undefined;
}

const FOLDER = 'diagnostics.folder';

/** The run's one folder, made by the first step that needs it (concurrent callers share it). */
function folderOf(ctx: StepContext, o: DiagnosticsOptions): Promise<ArtifactFolder> {
  let folder = ctx.shared.get(FOLDER) as Promise<ArtifactFolder> | undefined;
  if (!folder) {
    const name =
      o.folderName?.() ??
      new Date()
        .toISOString()
        .replace(/\.\d+Z$/, 'Z')
        .replace(/:/g, '-');
    folder = ctx
      .artifacts()
      .open('diagnostics', name)
      .then((f) => {
        ctx.shared.set(DIAGNOSTICS, { folder: f.path, files: [], missing: [] } satisfies DiagnosticsResult);
        return f;
      });
    ctx.shared.set(FOLDER, folder);
  }
  return folder;
}

function keep(ctx: StepContext, folder: ArtifactFolder, saved: SavedFile, node?: string): void {
  const result = resultOf(ctx)!;
  const file = saved.path
    .slice(folder.path.length + 1)
    .split('\\')
    .join('/');
  result.files.push({ ...(node ? { node } : {}), file, bytes: saved.bytes, sha256: saved.sha256 });
  ctx.report(DIAGNOSTICS, result);
}

function missing(ctx: StepContext, what: string, error: unknown, node?: string): void {
  const result = resultOf(ctx);
  if (!result || ctx.signal.aborted) return;
  const reason = error instanceof Error ? error.message : String(error);
  result.missing.push({ ...(node ? { node } : {}), what, reason });
  ctx.report(DIAGNOSTICS, result);
}

export function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function inspectStep(model: ClusterModel, o: DiagnosticsOptions): Step {
  return {
    id: 'inspect',
    title: 'Collect microk8s inspect from every node',
    nodes: model.nodes,
    parallel: true,
    continueOnFailure: true,
    checkText: 'never: every run collects anew',
    proofText: 'each report tarball is on this machine, with its size and SHA-256',
    async run(ctx, node) {
      const n = node!;
      const folder = await folderOf(ctx, o);
      try {
        return await inspectNode(ctx, n, folder, o);
      } catch (error) {
        missing(ctx, 'microk8s inspect', error, n.hostname);
        throw error;
      }
    },
    preview: (p, node) => [
      { node: node!.hostname, command: p.show(cmd.inspect()), sudo: true },
      {
        node: node!.hostname,
        command: 'SFTP download of the report tarball it names',
        when: `into .gateway-cluster/diagnostics/<time>/${node!.hostname}/`,
      },
    ],
  };
}

async function inspectNode(
  ctx: StepContext,
  n: NodeModel,
  folder: ArtifactFolder,
  o: DiagnosticsOptions,
): Promise<string> {
  // inspect.sh exits 1 when a service is not running, after writing its report all the same.
  const r = await ctx.exec(n, cmd.inspect(), { sudo: true, timeoutMs: o.timeouts.long, okCodes: [0, 1] });
  if (r.code === 1) ctx.log('microk8s inspect found a MicroK8s service not running (see its FAIL lines)', n);
  const found = REPORT_PATH.exec(r.stdout);
  if (!found)
    throw new StepFailure(
      `microk8s inspect on ${n.hostname} named no report tarball.`,
      `Read its output above; run "sudo microk8s inspect" on ${n.hostname} by hand if it stopped early.`,
      { node: n.hostname },
    );
  const [, remotePath, base] = found;
  const started = Date.now();
  let lastLog = 0;
  ctx.log(`downloading ${base!} over SFTP`, n);
  const saved = await folder.download(n, remotePath!, `${n.hostname}/${base!}`, {
    signal: ctx.signal,
    onProgress: (bytes, total) => {
      const now = Date.now();
      if (now - lastLog < 1000 || bytes >= total) return;
      lastLog = now;
      ctx.log(`downloading: ${Math.round((bytes / Math.max(total, 1)) * 100)} % of ${megabytes(total)}`, n);
    },
  });
  keep(ctx, folder, saved, n.hostname);
  const seconds = Math.max((Date.now() - started) / 1000, 0.001);
  ctx.log(`${base!}: ${megabytes(saved.bytes)} in ${seconds.toFixed(1)} s, sha256 ${saved.sha256}`, n);
  return `${megabytes(saved.bytes)}, sha256 ${saved.sha256.slice(0, 12)}…`;
}

/** A step of the cluster's own part: its failure is named in the summary, and the others still run. */
function clusterPart(
  id: string,
  title: string,
  what: string,
  o: DiagnosticsOptions,
  collect: (ctx: StepContext, folder: ArtifactFolder) => Promise<string>,
  proofText: string,
): Step {
  return {
    id,
    title,
    continueOnFailure: true,
    checkText: 'never: every run collects anew',
    proofText,
    async run(ctx) {
      const folder = await folderOf(ctx, o);
      try {
        return await collect(ctx, folder);
      } catch (error) {
        missing(ctx, what, error);
        throw error;
      }
    },
    preview: () => [],
  };
}

function eventsStep(o: DiagnosticsOptions): Step {
  return clusterPart(
    'events',
    "Collect the cluster's events",
    'the events',
    o,
    async (ctx, folder) => {
      const list = await (await ctx.cluster()).getRaw('/api/v1/events');
      keep(ctx, folder, await folder.write('events.json', `${JSON.stringify(list, null, 1)}\n`));
      const table = eventsTable(list);
      keep(ctx, folder, await folder.write('events.txt', table.text));
      return `${table.count} events`;
    },
    'events.json (as the API gives them) and events.txt (a table, oldest first)',
  );
}

function logsStep(o: DiagnosticsOptions): Step {
  return clusterPart(
    'logs',
    "Collect the gateway pods' recent logs",
    "the gateway pods' logs",
    o,
    async (ctx, folder) => {
      const api = await ctx.cluster();
      const pods = (await Promise.all(GATEWAY_RELEASES.map((r) => api.podsOfRelease(NAMESPACE, r)))).flat();
      let written = 0;
      for (const pod of pods) {
        let text: string;
        try {
          text = await api.podLog(pod.namespace ?? NAMESPACE, pod.name, LOG_LINES);
          written++;
        } catch (error) {
          if (ctx.signal.aborted) throw error;
          text = `(no log: ${error instanceof Error ? error.message : String(error)})\n`;
        }
        keep(ctx, folder, await folder.write(`logs/${pod.name}.log`, text));
      }
      return `${written} of ${pods.length} pods' last ${LOG_LINES} lines`;
    },
    `logs/POD.log: the last ${LOG_LINES} lines of each pod of ${GATEWAY_RELEASES.join(' and ')}`,
  );
}

function summaryStep(model: ClusterModel, o: DiagnosticsOptions): Step {
  return {
    id: 'summary',
    title: 'Write the summary',
    readOnly: true,
    checkText: 'never',
    proofText: 'summary.json lists every file with its size and SHA-256, and what could not be collected',
    async run(ctx) {
      const folder = await folderOf(ctx, o);
      const result = resultOf(ctx)!;
      const summary = { cluster: model.name, collectedAt: new Date().toISOString(), ...result };
      await folder.write('summary.json', `${JSON.stringify(summary, null, 2)}\n`);
      ctx.report(DIAGNOSTICS, result);
      const nodes = result.files.filter((f) => f.node).length;
      const absent = result.missing.filter((m) => m.node).map((m) => m.node!);
      return `${nodes} of ${model.nodes.length} nodes collected${absent.length ? ` (not ${absent.join(', ')})` : ''} into ${folder.path}`;
    },
    preview: () => [],
  };
}

export function diagnosticsPlan(model: ClusterModel, options: DiagnosticsOptions): Plan {
  assertUsable(model, 'diagnostics');
  return {
    operation: 'diagnostics',
    cluster: model.name,
    model,
    steps: [
      inspectStep(model, options),
      { ...kubeconfigStep(model), continueOnFailure: true },
      eventsStep(options),
      logsStep(options),
      summaryStep(model, options),
    ],
  };
}
