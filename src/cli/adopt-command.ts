// gateway-cluster adopt: a cluster built by hand becomes a cluster.yaml. From one node's SSH address it
// discovers the nodes, add-ons, releases, floating IP and registration (src/clusters/adopt.ts) and writes a
// spec that validates clean and matches the cluster (a node that runs no gateway cluster is refused, with what
// to do, and so is a spec with errors); secrets are named by key only. Host keys as `run` takes
// them (OpenSSH's accept-new); the SSH password, when keys are not what the VMs take, from the secrets file
// ("@ssh-password"; the spec then names it `NAME-ssh-password`), a key's passphrase from the terminal.
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { adoptedSecretNames, validateText } from '../cluster-spec';
import { ADOPT_SSH_PASSWORD, adoptCluster } from '../clusters/adopt';
import { AdoptRefusal } from '../ops/adopt';
import { cliKnownHostsFile, userKnownHostsFile } from '../remote/platform';
import type { CliHost } from './cluster';
import { CliError, EXIT, type ExitStatus } from './exit';
import { HostKeyPolicy } from './host-keys';
import { flagOf, listOf, parseOptions, valueOf, type OptionSpec } from './options';
import { SECRETS_FILE_ENV, readSecretsFile } from './secrets-file';
import { streamTerminal } from './terminal';

export const ADOPT_OPTIONS: Record<string, OptionSpec> = {
  address: { value: true },
  user: { value: true },
  identity: { value: true },
  port: { value: true },
  name: { value: true },
  out: { value: true },
  'secrets-file': { value: true },
  'known-hosts': { value: true, repeatable: true },
  'accept-new-host-keys': {},
};

export async function adoptCommand(args: readonly string[], host: CliHost): Promise<ExitStatus> {
  const usage = (message: string) => new CliError(EXIT.usage, message);
  const parsed = parseOptions(args, ADOPT_OPTIONS);
  if (typeof parsed === 'string') throw usage(parsed);
  if (parsed.positionals.length) throw usage(`unexpected argument "${parsed.positionals[0]}"`);
  const address = valueOf(parsed, 'address');
  const out = valueOf(parsed, 'out');
  if (!address || !/^\d+\.\d+\.\d+\.\d+$/.test(address))
    throw usage('--address IP (a node of the cluster) is required');
  if (!out) throw usage('--out FILE (where the cluster.yaml goes) is required');
  const portText = valueOf(parsed, 'port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    throw usage(`--port must be 1-65535, not "${portText}"`);
  const target = path.resolve(out);
  // Like "Create cluster.yaml", adopt never overwrites a file.
  if (existsSync(target)) throw usage(`${target} exists: choose another --out, or move it away first`);
  const identity = valueOf(parsed, 'identity');
  const name = valueOf(parsed, 'name');
  const specName = name ?? /^(.+)\.cluster\.ya?ml$/.exec(path.basename(target))?.[1];

  const { stderr } = host.streams;
  const note = (line: string) => stderr.write(`gateway-cluster: ${line}\n`);
  const ownFile = cliKnownHostsFile(host.workstation);
  const hostKeys = new HostKeyPolicy(flagOf(parsed, 'accept-new-host-keys'), ownFile, note);
  const terminal = streamTerminal({ input: host.stdin, output: stderr as NodeJS.WritableStream });
  const secretsFile = valueOf(parsed, 'secrets-file') ?? (host.env[SECRETS_FILE_ENV] || undefined);
  const secrets = secretsFile
    ? readSecretsFile(secretsFile, { workstation: host.workstation, uid: host.uid }, [ADOPT_SSH_PASSWORD])
    : new Map<string, string>();
  const knownHostsFiles = listOf(parsed, 'known-hosts').map((file) => path.resolve(file));
  let adopted;
  try {
    adopted = await adoptCluster(
      {
        address,
        user: valueOf(parsed, 'user'),
        port,
        identityFile: identity === undefined ? undefined : path.resolve(identity),
        name: specName,
        specPath: target,
      },
      {
        prompts: {
          confirmHostKey: hostKeys.confirmHostKey,
          askPassphrase: ({ keyPath }) => terminal.askHidden(`passphrase of ${keyPath}: `),
        },
        knownHosts: { ownFile, userFile: [...knownHostsFiles, userKnownHostsFile(host.workstation)] },
        secret: async (key) => secrets.get(key),
        homeDir: host.workstation.homeDir,
        log: () => undefined,
        signal: host.cancel,
      },
    );
  } catch (error) {
    const kind = (error as { kind?: string }).kind;
    if (hostKeys.refused || kind === 'hostKeyRefused' || kind === 'hostKeyChanged') {
      if (kind) hostKeys.noteRefusal(address, kind, error instanceof Error ? error.message : String(error));
      throw new CliError(EXIT.hostKey, hostKeys.advice());
    }
    if (host.cancel.aborted) throw new CliError(EXIT.cancelled, 'cancelled; nothing was written.');
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      EXIT.failed,
      `could not adopt the cluster at ${address}: ${message}${error instanceof AdoptRefusal ? `\n  what to do: ${error.hint}` : ''}\nNothing was written.`,
    );
  }
  const findings = validateText(adopted.text, target, { offline: false }).findings;
  writeFileSync(target, adopted.text, { flag: 'wx' });
  const c = adopted.cluster;
  const names = adoptedSecretNames(c.name);
  host.streams.stdout.write(
    [
      `adopted ${c.name}: ${c.nodes.length} node${c.nodes.length === 1 ? '' : 's'} (${c.nodes.map((n) => `${n.hostname} ${n.address}`).join(', ')})`,
      `  floating IP ${c.floatingIp ?? 'not found'}, metallb ${c.metallbRanges.join(', ') || 'not enabled'}, charts ${c.chartVersions.join(', ') || 'not installed'}${c.nfs ? `, NFS ${c.nfs.server}:${c.nfs.path}` : ''}, registration ${c.registration ?? 'none'}`,
      ...c.notes.map((n) => `  note: ${n}`),
      `wrote ${target}${findings.length ? ` (${findings.length} finding${findings.length === 1 ? '' : 's'}: run gateway-cluster validate)` : ' (validates clean)'}`,
      `store the secrets it names (${[c.ssh.passwordSecret, names.managerPassword, names.activationToken].filter(Boolean).join(', ')}) before an operation needs them`,
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
