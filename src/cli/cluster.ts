// What `plan` and `run` share: the spec's cluster in a ClusterContext (the editor's wiring of secrets, SSH
// pool, host keys, kubeconfig, lock and runs), with the CLI's environment: secrets in memory, host keys as
// OpenSSH's accept-new, questions on the terminal.
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { ClusterContext, type ClusterEnvironment } from '../clusters';
import { cliKnownHostsFile, userKnownHostsFile, type Workstation } from '../remote/platform';
import type { OperationCliArgs } from './args';
import { CliError, EXIT } from './exit';
import { HostKeyPolicy } from './host-keys';
import type { Output, OutputStreams } from './output';
import { MemorySecretBackend } from './secrets';
import { loadSpec } from './spec';
import { streamTerminal, type Terminal, type TerminalStreams } from './terminal';

/** The process as a command sees it (main.ts builds it; tests may build another). */
export interface CliHost {
  streams: OutputStreams;
  stdin: TerminalStreams['input'];
  env: Record<string, string | undefined>;
  readFile(file: string): string;
  workstation: Workstation;
  /** process.getuid(); undefined on Windows. */
  uid: number | undefined;
  /** Aborted by SIGINT or SIGTERM. */
  cancel: AbortSignal;
}

export interface OpenCluster {
  context: ClusterContext;
  backend: MemorySecretBackend;
  hostKeys: HostKeyPolicy;
  terminal: Terminal;
}

export function openCluster(args: OperationCliArgs, host: CliHost, output: Output): OpenCluster {
  const { spec, notes } = loadSpec(args.spec, args.cluster, host.readFile);
  for (const note of notes) output.note(note);
  const knownHostsFiles = args.knownHosts.map((file) => path.resolve(file));
  for (const file of knownHostsFiles) {
    try {
      accessSync(file, constants.R_OK);
    } catch (error) {
      throw new CliError(
        EXIT.usage,
        `cannot read the known_hosts file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  const ownFile = cliKnownHostsFile(host.workstation);
  const hostKeys = new HostKeyPolicy(args.acceptNewHostKeys, ownFile, (line) => output.note(line));
  const terminal = streamTerminal({
    input: host.stdin,
    output: host.streams.stderr as NodeJS.WritableStream,
    aside: (ask) => output.aside(ask),
  });
  const backend = new MemorySecretBackend();
  const environment: ClusterEnvironment = {
    secrets: backend,
    prompts: {
      confirmHostKey: hostKeys.confirmHostKey,
      askPassphrase: ({ node, keyPath }) => terminal.askHidden(`passphrase of ${keyPath} (for ${node}): `),
    },
    // As OpenSSH: the files given, then ~/.ssh/known_hosts, then the keys accepted here before.
    knownHosts: { ownFile, userFile: [...knownHostsFiles, userKnownHostsFile(host.workstation)] },
    // The SSH layer's own log (connections, retries) is not the operation's output.
    log: () => undefined,
    runner: 'the gateway-cluster CLI',
    homeDir: host.workstation.homeDir,
    // A confirmation the engine asks mid-run (a forced removal, a replaced VM's key): --confirm gives the
    // answer ahead; on a terminal the operator types it; without either it is refused, and the step says so.
    confirm: async (question) => {
      if (args.confirm !== undefined) return args.confirm === question.answer;
      const typed = await terminal.ask(
        `${question.title}\n${question.detail}\nType ${question.answer} to confirm (anything else refuses): `,
      );
      return typed?.trim() === question.answer;
    },
  };
  return { context: new ClusterContext(spec, environment), backend, hostKeys, terminal };
}
