// The real engine factory for the editor: the operations engine over pooled SSH sessions (host keys verified
// through modal prompts, never auto-accepted) and the Kubernetes client. activate() passes it to the wizard
// panels; nothing here loads before the first run (ssh2 and the Kubernetes client are heavy).
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { SshPool } from '../remote/pool';
import type { Masker } from '../remote/masker';
import type { WizardEngineFactory } from './session';

export function editorEngineFactory(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): WizardEngineFactory & vscode.Disposable {
  let shared: { pool: SshPool; masker: Masker } | undefined;
  // What the engine stored itself (the kubeconfig, join tokens) is read back from memory: in the browser
  // (code-server) a get() right after a store() can miss the new value, and the next step needs it at once.
  const written = new Map<string, string>();
  const secrets = {
    get: async (key: string) => written.get(key) ?? context.secrets.get(key),
    store: async (key: string, value: string) => {
      written.set(key, value);
      await context.secrets.store(key, value);
    },
  };
  const factory = async (request: Parameters<WizardEngineFactory>[0]) => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first run, not at activation */
    const remote = require('../remote') as typeof import('../remote');
    const ops = require('../ops') as typeof import('../ops');
    const { SshNodeRunner } =
      require('../ops/adapters/ssh-runner') as typeof import('../ops/adapters/ssh-runner');
    const { kubeConnector } =
      require('../ops/adapters/kube-cluster') as typeof import('../ops/adapters/kube-cluster');
    const { ModalPrompts } = require('../tree/host-prompts') as typeof import('../tree/host-prompts');
    /* eslint-enable @typescript-eslint/no-require-imports */
    if (!shared) {
      // One masker for the SSH layer and every engine: both scrub the same registered values.
      const masker = new remote.Masker();
      const pool = new remote.SshPool(
        {
          knownHosts: new remote.KnownHostsStore({
            ownFile: path.join(context.globalStorageUri.fsPath, 'known_hosts'),
            userFile: path.join(os.homedir(), '.ssh', 'known_hosts'),
          }),
          prompts: new ModalPrompts(),
          secrets,
          masker,
          // Command output stays out of the log (the wizard shows it masked; `microk8s config` prints keys).
          log: (line: string) => {
            if (!/\] (out|err): /.test(line)) log.info(masker.mask(line));
          },
        },
        { idleMs: 60_000 },
      );
      shared = { pool, masker };
    }
    const { masker } = shared;
    const sink = request.workspaceRoot ? new ops.FileTranscriptSink(request.workspaceRoot) : undefined;
    const engine = new ops.OperationsEngine({
      nodes: new SshNodeRunner(shared.pool, request.sudoPasswordSecret),
      secrets,
      connector: {
        // The engine's failure names the step; the log keeps each API server's own reason (masked).
        connect: async (kubeconfig: string, server: string, signal: AbortSignal) => {
          try {
            return await kubeConnector.connect(kubeconfig, server, signal);
          } catch (err) {
            log.warn(masker.mask(`Wizard: Kubernetes API ${server}: ${errorText(err)}`));
            throw err;
          }
        },
      },
      masker,
      sink,
      onEvent: request.onEvent,
    });
    return { engine, transcriptFile: sink ? (runId: string) => sink.fileOf(runId) : undefined };
  };
  return Object.assign(factory, {
    dispose: () => {
      void shared?.pool.closeAll();
      shared = undefined;
      written.clear();
    },
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
