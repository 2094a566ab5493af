// A load-balanced lab with the engine wired as the editor wires it (SSH pool with verified host keys, SFTP,
// file transcripts), its secrets stored (values with shell metacharacters), and what a test needs to look at
// the hosts (files, the runtime API) and to search every artefact for a secret.
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../../lab/index';
import type { LabApi, LabInfo, LabOptions } from '../../../lab/index';
import { allHosts, inHost, runtimeApi } from '../../../lab/lb-hosts';
import { validateText, type ClusterModel } from '../../../../src/cluster-spec';
import { ClusterContext } from '../../../../src/clusters';
import { isServing, parseShowInfo, parseShowStat, serversOf, type StatRow } from '../../../../src/ops';
import type {
  OperationsEngine,
  OperationArgs,
  OperationPlanName,
  RunEvent,
  RunOptions,
  RunResult,
} from '../../../../src/ops';
import { CommandLineSampler, transcriptsAndLabLogs } from '../../ops/support/ops-lab';

export interface LbLab {
  lab: LabApi;
  info: LabInfo;
  model: ClusterModel;
  context: ClusterContext;
  engine: OperationsEngine;
  events: RunEvent[];
  runs: RunResult[];
  sshLog: string[];
  sampler: CommandLineSampler;
  workspace: string;
  /** Runs an operation on `model` (default the lab's). */
  run(
    operation: OperationPlanName,
    options?: { model?: ClusterModel; args?: OperationArgs } & RunOptions,
  ): Promise<RunResult>;
  /** The lab's spec with `from` replaced by `to`, as a model (the spec must stay free of errors). */
  modelWith(from: string, to: string): ClusterModel;
  /** A file on a lab host (its own /etc, /var/lib/gateway-cluster, …), or undefined when absent. */
  hostFile(index: number, file: string): string | undefined;
  /** Runs a command as root inside a lab host. */
  inHost(index: number, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  servers(): Promise<StatRow[]>;
  /** `description` of the configuration haproxy runs. */
  description(): Promise<string>;
  secretValues(): Array<[string, string]>;
  artefacts(): Promise<Array<[string, string]>>;
  close(): Promise<void>;
}

export function lbModelOf(text: string, specPath: string): ClusterModel {
  const result = validateText(text, specPath, { offline: true });
  const errors = result.findings.filter((f) => f.severity === 'error');
  const model = result.documents[0]?.model;
  if (errors.length || !model) throw new Error(`the spec has errors: ${JSON.stringify(errors)}`);
  return model;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function startLbLab(name: string, options: LabOptions): Promise<LbLab> {
  const lab = createLab(name);
  const info = await lab.up({ topology: 'load-balanced', ...options });
  const model = lbModelOf(info.specYaml, info.specPath);
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), `gc-${name}-`));
  const specPath = path.join(workspace, 'cluster.yaml');
  await fs.writeFile(specPath, info.specYaml);
  const secrets = new Map<string, string>();
  const sshLog: string[] = [];
  const context = new ClusterContext(
    { specPath, documentIndex: 0, model, findings: [] },
    {
      secrets: {
        get: async (key) => secrets.get(key),
        store: async (key, value) => void secrets.set(key, value),
        delete: async (key) => void secrets.delete(key),
      },
      knownHosts: { userFile: info.knownHostsPath, ownFile: path.join(workspace, 'own_known_hosts') },
      prompts: { confirmHostKey: async () => false },
      log: (line) => sshLog.push(line),
      runner: 'the lab tests',
      homeDir: workspace,
      timeouts: { command: 60_000, long: 120_000, wait: 120_000, registration: 60_000 },
    },
  );
  await context.secrets.store(model.gateway!.installKeySecret, info.installKey!);
  await context.secrets.store(model.gateway!.passwordSecret, info.gatewayPassword!);
  await context.secrets.storeInternal('sudo-password', info.password);
  const events: RunEvent[] = [];
  const engine = context.engine({ onEvent: (e) => events.push(e) });
  const sampler = new CommandLineSampler({ ...info, nodes: allHosts(info) });
  const runs: RunResult[] = [];
  const hostDir = (index: number) => path.join(info.dir, 'nodes', String(index));
  const TARGETS: Array<[string, string]> = [
    ['/etc/', 'etc-upper/'],
    ['/var/lib/gateway-cluster/', 'product-state/'],
    ['/var/lib/gc-lab/', 'gc-lab-state/'],
    ['/opt/', 'opt/'],
  ];
  return {
    lab,
    info,
    model,
    context,
    engine,
    events,
    runs,
    sshLog,
    sampler,
    workspace,
    async run(operation, options = {}) {
      const plan = engine.plan(operation, options.model ?? model, options.args ?? {});
      sampler.start();
      try {
        const result = await engine.run(plan, options);
        runs.push(result);
        return result;
      } finally {
        sampler.stop();
      }
    },
    modelWith(from, to) {
      if (!info.specYaml.includes(from)) throw new Error(`the lab's spec has no ${JSON.stringify(from)}`);
      return lbModelOf(info.specYaml.replace(from, to), specPath);
    },
    hostFile(index, file) {
      const target = TARGETS.find(([prefix]) => file.startsWith(prefix));
      if (!target) throw new Error(`no host-side view of ${file}`);
      try {
        return readFileSync(path.join(hostDir(index), target[1], file.slice(target[0].length)), 'utf8');
      } catch {
        return undefined;
      }
    },
    inHost: (index, argv) => inHost(info.dir, index, path.join(info.dir, 'bin'), argv),
    async servers() {
      return serversOf(parseShowStat(await runtimeApi(info, 'show stat')), model.loadBalancer!.backend.name);
    },
    async description() {
      return parseShowInfo(await runtimeApi(info, 'show info')).description ?? '';
    },
    secretValues: () => [
      ['install key', info.installKey!],
      ['gateway password', info.gatewayPassword!],
      ['sudo password', info.password],
    ],
    async artefacts() {
      const texts: Array<[string, string]> = [
        ['events', JSON.stringify(events)],
        ['ssh log', sshLog.join('\n')],
        ['run results', JSON.stringify(runs.map((r) => ({ ...r, shared: [...r.shared.keys()] })))],
        ['sampled command lines', [...sampler.seen].join('\n')],
      ];
      texts.push(...(await transcriptsAndLabLogs(context.runsDir, info.dir)));
      return texts;
    },
    async close() {
      sampler.stop();
      await context.dispose();
      await lab.down();
      await fs.rm(workspace, { recursive: true, force: true });
    },
  };
}

export { stepStates } from '../../ops/support/ops-lab';

export function serving(rows: readonly StatRow[]): string[] {
  return rows.filter(isServing).map((r) => r.name);
}
