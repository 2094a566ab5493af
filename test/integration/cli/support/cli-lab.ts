// A lab for the CLI's tests: three nodes, their cluster.yaml in a workspace of its own, a secrets file the
// way an operator keeps it (0600), an empty home (no ~/.ssh/known_hosts: the keys come from --known-hosts or
// are accepted), the installed CLI, and everything a secret could leak into.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab, type LabApi, type LabInfo, type LabOptions } from '../../../lab/index';
import { CommandLineSampler } from '../../ops/support/ops-lab';
import { cliPackage } from './cli-package';
import { runCli, startCli, type CliResult, type CliRunOptions } from './cli-run';

export interface CliLab {
  lab: LabApi;
  info: LabInfo;
  /** The installed package's bin script. */
  cli: string;
  workspace: string;
  spec: string;
  runsDir: string;
  home: string;
  /** The CLI's own known_hosts under `home`. */
  ownKnownHosts: string;
  secretsFile: string;
  secrets: { managerPassword: string; activationToken: string; sudoPassword: string };
  sampler: CommandLineSampler;
  /** Everything the CLI printed, run after run. */
  printed: string[];
  env: NodeJS.ProcessEnv;
  run(args: readonly string[], options?: Partial<CliRunOptions>): Promise<CliResult>;
  start(args: readonly string[], options?: Partial<CliRunOptions>): ReturnType<typeof startCli>;
  close(): Promise<void>;
}

export async function startCliLab(name: string, options: LabOptions): Promise<CliLab> {
  const { cli } = await cliPackage();
  const lab = createLab(name);
  const info = await lab.up(options);
  const workspace = await fs.mkdtemp(path.join(os.tmpdir(), `gc-${name}-`));
  const home = path.join(workspace, 'home');
  await fs.mkdir(home);
  const spec = path.join(workspace, 'cluster.yaml');
  await fs.writeFile(spec, info.specYaml);
  // Values with shell and YAML metacharacters: quoting mistakes would show.
  const secrets = {
    managerPassword: `Gm-${randomBytes(6).toString('hex')} $(id)'"`,
    activationToken: `act-${randomBytes(12).toString('hex')}`,
    sudoPassword: info.password,
  };
  const secretsFile = path.join(workspace, 'secrets.yaml');
  await fs.writeFile(
    secretsFile,
    [
      '# the secrets cluster.yaml names, and the sudo password',
      `lab-manager-password: ${JSON.stringify(secrets.managerPassword)}`,
      `lab-activation-token: ${secrets.activationToken}`,
      `"@sudo-password": ${JSON.stringify(secrets.sudoPassword)}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const key of ['XDG_CONFIG_HOME', 'SSH_AUTH_SOCK', 'GATEWAY_CLUSTER_SECRETS_FILE']) delete env[key];
  const sampler = new CommandLineSampler(info);
  sampler.start();
  const printed: string[] = [];
  const optionsOf = (extra: Partial<CliRunOptions> = {}): CliRunOptions => ({
    cwd: workspace,
    env,
    transcript: printed,
    ...extra,
  });
  return {
    lab,
    info,
    cli,
    workspace,
    spec,
    runsDir: path.join(workspace, '.gateway-cluster', 'runs'),
    home,
    ownKnownHosts: path.join(home, '.config', 'gateway-cluster', 'known_hosts'),
    secretsFile,
    secrets,
    sampler,
    printed,
    env,
    run: (args, extra) => runCli(cli, args, optionsOf(extra)),
    start: (args, extra) => startCli(cli, args, optionsOf(extra)),
    async close() {
      sampler.stop();
      await lab.down();
      await fs.rm(workspace, { recursive: true, force: true });
    },
  };
}

/** A run's usual flags against the lab: JSON lines, the lab's secrets file, the lab's known_hosts. */
export function jsonRunFlags(t: CliLab): string[] {
  return ['--format', 'json', '--secrets-file', t.secretsFile, '--known-hosts', t.info.knownHostsPath];
}
