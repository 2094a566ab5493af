// The operations engine wired to a lab the way the editor wires it (SSH pool with verified host keys, the
// Kubernetes connector, file transcripts), plus everything a test needs to prove that no secret escapes:
// every event, SSH log line, transcript file, error, and the command lines of the processes on the nodes.
import { randomBytes } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab } from '../../../lab/index';
import type { LabApi, LabInfo, LabOptions } from '../../../lab/index';
import { validateText } from '../../../../src/cluster-spec';
import type { ClusterModel, NodeModel } from '../../../../src/cluster-spec';
import { ClusterContext } from '../../../../src/clusters';
import type { RemotePrompts } from '../../../../src/remote';
import type { OperationsEngine } from '../../../../src/ops';
import type {
  Confirmation,
  NodeCommand,
  NodeExecOptions,
  NodeExecResult,
  NodeRunner,
  Plan,
  RunEvent,
  RunOptions,
  RunResult,
  Timeouts,
} from '../../../../src/ops';

/** A remote command as it really went out (unmasked: only the test sees it). */
export interface SentCommand {
  node: string;
  text: string;
  durationMs: number;
}

/** Records what the engine sends, so a test can find the join tokens it generated and time the commands. */
class RecordingRunner implements NodeRunner {
  readonly sent: SentCommand[] = [];
  constructor(private readonly inner: NodeRunner) {}

  async exec(node: NodeModel, command: NodeCommand, options: NodeExecOptions): Promise<NodeExecResult> {
    const text = 'argv' in command ? command.argv.join(' ') : command.script;
    const started = performance.now();
    try {
      return await this.inner.exec(node, command, options);
    } finally {
      this.sent.push({ node: node.hostname, text, durationMs: performance.now() - started });
    }
  }
}

/**
 * Samples the command lines of every process inside the lab's network namespaces (the nodes share the
 * host's PID namespace), the way `ps` on a node would show them to another user.
 */
export class CommandLineSampler {
  readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly namespaces: Set<string>;

  constructor(info: LabInfo) {
    this.namespaces = new Set(info.nodes.map((n) => `net:[${statSync(`/run/netns/${n.netns}`).ino}]`));
  }

  private sample(): void {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (!this.namespaces.has(readlinkSync(`/proc/${pid}/ns/net`))) continue;
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
        if (args) this.seen.add(args);
      } catch {
        // the process ended meanwhile
      }
    }
  }

  start(intervalMs = 20): void {
    this.stop();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Lines of processes still running in one node's namespace whose command line matches. */
  running(info: LabInfo, nodeIndex: number, pattern: RegExp): string[] {
    const node = info.nodes[nodeIndex - 1]!;
    const ns = `net:[${statSync(`/run/netns/${node.netns}`).ino}]`;
    const found: string[] = [];
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readlinkSync(`/proc/${pid}/ns/net`) !== ns) continue;
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        if (pattern.test(args)) found.push(args);
      } catch {
        // gone
      }
    }
    return found;
  }
}

export interface OpsLab {
  lab: LabApi;
  info: LabInfo;
  model: ClusterModel;
  /** The cluster's context, wired as the editor wires it (its spec at workspace/cluster.yaml). */
  context: ClusterContext;
  engine: OperationsEngine;
  /** The secret storage as raw keys (the context scopes them to its cluster). */
  secrets: Map<string, string>;
  events: RunEvent[];
  /** Calls `listener` with every event from now on; returns the function that stops it. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  sshLog: string[];
  /** Error messages the runs returned. */
  errors: string[];
  runs: RunResult[];
  sent: SentCommand[];
  sampler: CommandLineSampler;
  /** The workspace whose .gateway-cluster/runs/ holds the transcripts. */
  workspace: string;
  runsDir: string;
  run(plan: Plan, options?: RunOptions): Promise<RunResult>;
  /** What the engine asked the operator, in order. */
  confirmations: Confirmation[];
  /** How the operator answers from now on (default: no). */
  answerWith(answer: (question: Confirmation) => boolean | Promise<boolean>): void;
  /** The user's known_hosts (a copy of the lab's at the start) and the extension's own. */
  knownHosts: { user: string; own: string };
  /** The secrets of this lab as the test knows them (join tokens and the kubeconfig key once they exist). */
  secretValues(): Array<[string, string]>;
  /** Everything a secret could leak into, as one text per artefact. */
  artefacts(): Promise<Array<[string, string]>>;
  close(): Promise<void>;
}

export interface OpsLabOptions extends LabOptions {
  timeouts?: Partial<Timeouts>;
  /** The user's answer to an unknown host key (default: no; the lab's keys are all known at the start). */
  confirmHostKey?: RemotePrompts['confirmHostKey'];
}

/** The lab's spec through the real parser: the same model the editor would build from cluster.yaml. */
export function modelOf(info: LabInfo): ClusterModel {
  const result = validateText(info.specYaml, info.specPath, { offline: true });
  const model = result.documents.find((d) => d.model)?.model;
  if (!model) throw new Error(`the lab's cluster.yaml gave no model: ${JSON.stringify(result.findings)}`);
  return model;
}

export async function startOpsLab(name: string, options: OpsLabOptions): Promise<OpsLab> {
  const lab = createLab(name);
  const info = await lab.up(options);
  const model = modelOf(info);
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), `gc-${name}-`));
  const secrets = new Map<string, string>();
  const sshLog: string[] = [];
  const specPath = path.join(workspace, 'cluster.yaml');
  await fs.writeFile(specPath, info.specYaml);
  // The user's known_hosts as it was at the start: a VM swapped later presents a key it does not hold.
  const userKnownHosts = path.join(workspace, 'user_known_hosts');
  await fs.copyFile(info.knownHostsPath, userKnownHosts);
  const confirmations: Confirmation[] = [];
  let answer: (question: Confirmation) => boolean | Promise<boolean> = () => false;
  const context = new ClusterContext(
    { specPath, documentIndex: 0, model, findings: [] },
    {
      secrets: {
        get: async (key) => secrets.get(key),
        store: async (key, value) => void secrets.set(key, value),
        delete: async (key) => void secrets.delete(key),
      },
      knownHosts: { userFile: userKnownHosts, ownFile: path.join(workspace, 'own_known_hosts') },
      confirm: async (question) => {
        confirmations.push(question);
        return answer(question);
      },
      prompts: { confirmHostKey: options.confirmHostKey ?? (async () => false) },
      log: (line) => sshLog.push(line),
      runner: 'the lab tests',
      homeDir: workspace,
      // The lab's CA signs the Gateway Manager's certificate at the floating IP: the HTTPS check verifies it.
      trustedCaCerts: [await fs.readFile(info.kube.caCertPath, 'utf8')],
      // Generous for a loaded 2-core machine; the lab answers in well under a second.
      timeouts: { command: 60_000, long: 120_000, wait: 120_000, registration: 60_000, ...options.timeouts },
    },
  );
  // Values with shell and YAML metacharacters: quoting mistakes would show.
  await context.secrets.store(
    model.gatewayManager.passwordSecret,
    `Gm-${randomBytes(6).toString('hex')} $(id)'"`,
  );
  await context.secrets.store(
    model.registration!.activationTokenSecret!,
    `act-${randomBytes(12).toString('hex')}`,
  );
  await context.secrets.storeInternal('sudo-password', info.password);
  let recorder: RecordingRunner | undefined;
  const events: RunEvent[] = [];
  const listeners = new Set<(event: RunEvent) => void>();
  const engine = context.engine({
    onEvent: (e) => {
      events.push(e);
      for (const listener of listeners) listener(e);
    },
    observe: (runner) => (recorder = new RecordingRunner(runner)),
  });
  const sampler = new CommandLineSampler(info);
  const runs: RunResult[] = [];
  const errors: string[] = [];
  const runsDir = context.runsDir;
  const sent = recorder!.sent;
  const secretOf = (name: string) => secrets.get(`gatewayCluster/${context.identity.id}/spec/${name}`)!;

  const joinTokens = () =>
    sent.flatMap((c) => /^microk8s add-node --token (\S+)/.exec(c.text)?.slice(1, 2) ?? []);

  return {
    lab,
    info,
    model,
    context,
    engine,
    secrets,
    events,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sshLog,
    errors,
    runs,
    sent,
    sampler,
    workspace,
    runsDir,
    confirmations,
    answerWith(next) {
      answer = next;
    },
    knownHosts: { user: userKnownHosts, own: path.join(workspace, 'own_known_hosts') },
    async run(plan, runOptions) {
      sampler.start();
      try {
        const r = await engine.run(plan, runOptions);
        runs.push(r);
        if (r.error) errors.push(r.error.message);
        return r;
      } finally {
        sampler.stop();
      }
    },
    secretValues() {
      const values: Array<[string, string]> = [
        ['sudo password', info.password],
        ['manager password', secretOf(model.gatewayManager.passwordSecret)],
        ['activation token', secretOf(model.registration!.activationTokenSecret!)],
      ];
      for (const t of joinTokens()) values.push(['join token', t]);
      const kubeconfig = secrets.get(`gatewayCluster/${context.identity.id}/internal/kubeconfig`);
      const key = kubeconfig && /client-key-data:\s*(\S+)/.exec(kubeconfig)?.[1];
      if (key) {
        values.push(['kubeconfig client key (base64)', key]);
        // A line from the middle of the PEM key itself, in case something decoded it.
        const pem = Buffer.from(key, 'base64').toString('utf8').split('\n');
        values.push(['kubeconfig client key (PEM)', pem[Math.floor(pem.length / 2)]!]);
      }
      return values;
    },
    async artefacts() {
      const texts: Array<[string, string]> = [
        ['events', JSON.stringify(events)],
        ['ssh log', sshLog.join('\n')],
        ['errors', errors.join('\n')],
        ['run results', JSON.stringify(runs.map((r) => ({ ...r, shared: [...r.shared.entries()] })))],
      ];
      texts.push(...(await transcriptsAndLabLogs(runsDir, info.dir)));
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

/** Every transcript in `runsDir` and every log of the lab in `labDir`, as (name, text) for a leak search. */
export async function transcriptsAndLabLogs(
  runsDir: string,
  labDir: string,
): Promise<Array<[string, string]>> {
  const texts: Array<[string, string]> = [];
  for (const file of await fs.readdir(runsDir)) {
    texts.push([`transcript ${file}`, await fs.readFile(path.join(runsDir, file), 'utf8')]);
  }
  const logs = path.join(labDir, 'logs');
  for (const file of await fs.readdir(logs).catch(() => [] as string[])) {
    texts.push([`lab log ${file}`, await fs.readFile(path.join(logs, file), 'utf8').catch(() => '')]);
  }
  return texts;
}

/** Step id → state of a run. */
export function stepStates(r: RunResult): Record<string, string> {
  return Object.fromEntries(r.transcript.steps.map((s) => [s.id, s.state]));
}

/** Masked commands a run sent, as the transcript recorded them. */
export function commandsOf(r: RunResult, node?: string): string[] {
  return r.transcript.commands.filter((c) => !node || c.node === node).map((c) => c.command);
}
