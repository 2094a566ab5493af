// The load balancer's live state for the tree: `show stat` through the runtime API (socat to the stats socket,
// as root, over the cluster's SSH pool), polled every few seconds while a view shows it and not otherwise;
// the operator's actions on a server (`set server BACKEND/NAME state ready|drain|maint`), the running and the
// generated haproxy.cfg, and `show info` + `show stat` for "Open Stats". vscode-free.
import type { ClusterModel } from '../../cluster-spec/types';
import type { LoadBalancerModel } from '../../cluster-spec/load-balanced-types';
import { haproxyConfig, parseShowInfo, parseShowStat, runtimeApiCommand, type StatRow } from '../../ops';
import type { SshPool } from '../../remote';
import { remoteNodeOf } from '../../remote/node';
import { Emitter, type Subscribe } from '../live/emitter';
import { SUDO_PASSWORD_REF } from '../secrets';

export type ServerAdminState = 'ready' | 'drain' | 'maint';

export interface LbSnapshot {
  /** Every row of `show stat`: frontends, the backend's servers and summary. */
  rows: StatRow[];
  /** When it was read (ms since the epoch), by this machine's clock. */
  at: number;
  /** `show info`'s description: which configuration runs. */
  description?: string;
  version?: string;
}

export interface LiveLoadBalancerDeps {
  model: () => ClusterModel;
  ssh: () => SshPool;
  mask: (text: string) => string;
  log: (line: string) => void;
  /** Between two polls while watched (default 2000 ms). */
  refreshMs?: number;
}

/** How long one runtime API command may take. */
const COMMAND_TIMEOUT_MS = 10_000;

export class LiveLoadBalancer {
  private readonly changed = new Emitter<void>();
  /** Fires after each poll (the snapshot or the error changed) and when watching starts or stops. */
  readonly onDidChange: Subscribe<void> = this.changed.event;
  private snapshotValue: LbSnapshot | undefined;
  private errorValue: string | undefined;
  private watchers = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private disposed = false;

  constructor(private readonly deps: LiveLoadBalancerDeps) {}

  get refreshMs(): number {
    return this.deps.refreshMs ?? 2000;
  }

  private get lb(): LoadBalancerModel | undefined {
    return this.deps.model().loadBalancer;
  }

  /** The last `show stat` (undefined until the first answer). */
  snapshot(): LbSnapshot | undefined {
    return this.snapshotValue;
  }

  /** The last poll's failure, masked (cleared by the next answer). */
  get error(): string | undefined {
    return this.errorValue;
  }

  get watching(): boolean {
    return this.watchers > 0;
  }

  /** Polls while at least one watcher holds it (the tree while the load balancer is expanded and visible). */
  watch(): { dispose(): void } {
    this.watchers++;
    if (this.watchers === 1) {
      this.changed.fire();
      void this.poll();
    }
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.watchers--;
        if (this.watchers === 0) {
          if (this.timer) clearTimeout(this.timer);
          this.timer = undefined;
          this.changed.fire();
        }
      },
    };
  }

  /** Polls now (a refresh button, after an action). */
  refresh(): Promise<void> {
    return this.poll();
  }

  private poll(): Promise<void> {
    if (this.polling) return this.polling;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.polling = (async () => {
      try {
        const [stat, info] = await Promise.all([this.command('show stat'), this.command('show info')]);
        const parsed = parseShowInfo(info);
        this.snapshotValue = {
          rows: parseShowStat(stat),
          at: Date.now(),
          ...(parsed.description !== undefined ? { description: parsed.description } : {}),
          ...(parsed.Version !== undefined ? { version: parsed.Version } : {}),
        };
        this.errorValue = undefined;
      } catch (error) {
        this.errorValue = this.deps.mask(error instanceof Error ? error.message : String(error));
        this.deps.log(`load balancer: ${this.errorValue}`);
      } finally {
        this.polling = undefined;
        if (!this.disposed) {
          this.changed.fire();
          if (this.watchers > 0) this.timer = setTimeout(() => void this.poll(), this.refreshMs);
        }
      }
    })();
    return this.polling;
  }

  /** One runtime API command's answer; rejects when the host or haproxy does not answer. */
  async command(text: string, options: { emptyAnswer?: boolean } = {}): Promise<string> {
    const lb = this.lb;
    if (!lb) throw new Error('The spec has no loadBalancer.');
    const result = await this.deps.ssh().exec(remoteNodeOf(lb, SUDO_PASSWORD_REF), [...argvOf(lb)], {
      stdin: `${text}\n`,
      sudo: true,
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
    if (result.code !== 0 || (result.stdout.trim() === '' && !options.emptyAnswer))
      throw new Error(
        `haproxy on ${lb.hostname} does not answer on ${lb.statsSocket}${result.stderr.trim() ? `: ${result.stderr.trim().split('\n').pop()}` : ''}`,
      );
    return result.stdout;
  }

  /** `set server BACKEND/NAME state …`: ready (enable), drain, maint (disable); then polls. */
  async setServerState(server: string, state: ServerAdminState): Promise<void> {
    const lb = this.lb;
    if (!lb) throw new Error('The spec has no loadBalancer.');
    if (!lb.backend.servers.includes(server))
      throw new Error(`${server} is not a server of ${lb.backend.name}.`);
    // `set server` answers nothing on success.
    const answer = await this.command(`set server ${lb.backend.name}/${server} state ${state}`, {
      emptyAnswer: true,
    });
    if (answer.trim() !== '') throw new Error(`haproxy refused: ${answer.trim()}`);
    await this.refresh();
  }

  /** The haproxy.cfg running on the load balancer host (readable by the login user, as Debian installs it). */
  async runningConfig(): Promise<string> {
    const lb = this.lb;
    if (!lb) throw new Error('The spec has no loadBalancer.');
    const result = await this.deps.ssh().exec(remoteNodeOf(lb, SUDO_PASSWORD_REF), ['cat', lb.configPath], {
      timeoutMs: COMMAND_TIMEOUT_MS,
    });
    if (result.code !== 0)
      throw new Error(`cannot read ${lb.configPath} on ${lb.hostname}: ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** What configure-lb would write now. */
  generatedConfig(): string {
    return haproxyConfig(this.deps.model()).text;
  }

  /** The fingerprint configure-lb puts in `description`; undefined when the spec makes no haproxy.cfg. */
  specFingerprint(): string | undefined {
    try {
      return haproxyConfig(this.deps.model()).fingerprint;
    } catch {
      return undefined;
    }
  }

  /** `show info` and `show stat`, for reading. */
  async statsText(): Promise<{ info: string; stat: string }> {
    const [info, stat] = await Promise.all([this.command('show info'), this.command('show stat')]);
    return { info, stat };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}

function argvOf(lb: LoadBalancerModel): readonly string[] {
  const command = runtimeApiCommand(lb.statsSocket);
  return 'argv' in command ? command.argv : ['sh', '-c', command.script];
}
