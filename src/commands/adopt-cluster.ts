// "Adopt Existing Cluster…": the editor's `gateway-cluster adopt`. Asks for one node's SSH address, the user
// and how to log in (the agent or default keys, a key file, or a password: the spec then names it as
// ssh.passwordSecret and the editor's secret storage keeps it for the adopted cluster, never the file), connects
// with the editor's host-key prompts (an unknown key is shown with its fingerprint, never trusted on its own),
// discovers the cluster and writes its cluster.yaml into the workspace — never over an existing file — then
// opens it. The Clusters view picks it up like any spec.
import * as vscode from 'vscode';
import { parseIPv4 } from '../cluster-spec/net';
import { ADOPT_SSH_PASSWORD, adoptCluster, keepAdoptPassword } from '../clusters';
import { freeSpecUri, pickWorkspaceFolder } from './create-example-spec';
import type { CommandFactory } from './types';

type Login = { identityFile?: string; password?: string } | undefined;

async function askLogin(): Promise<Login> {
  const agent = 'SSH agent or the default keys (~/.ssh/id_ed25519, id_rsa)';
  const key = 'A private key file…';
  const password = 'A password…';
  const choice = await vscode.window.showQuickPick([agent, key, password], {
    title: 'Adopt Existing Cluster: how to log in',
    ignoreFocusOut: true,
  });
  if (choice === agent) return {};
  if (choice === key) {
    const picked = await vscode.window.showOpenDialog({ title: 'The SSH private key', canSelectMany: false });
    return picked?.[0] ? { identityFile: picked[0].fsPath } : undefined;
  }
  if (choice === password) {
    const value = await vscode.window.showInputBox({
      title: 'Adopt Existing Cluster: SSH password',
      prompt:
        "Kept in the editor's secret storage for the adopted cluster (the spec names it as ssh.passwordSecret), never in a file.",
      password: true,
      ignoreFocusOut: true,
    });
    return value ? { password: value } : undefined;
  }
  return undefined;
}

export const adoptExistingCluster: CommandFactory = (ctx) => async () => {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Trust this workspace to connect to remote machines.');
    return undefined;
  }
  const folder = await pickWorkspaceFolder();
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder first: the cluster.yaml is written into it.');
    return undefined;
  }
  const address = await vscode.window.showInputBox({
    title: 'Adopt Existing Cluster: a node of the cluster',
    prompt: "One node's SSH address: the others are found through the cluster.",
    placeHolder: '172.25.252.11',
    ignoreFocusOut: true,
    validateInput: (v) =>
      parseIPv4(v.trim()) === undefined ? 'An IPv4 address, e.g. 172.25.252.11' : undefined,
  });
  if (!address) return undefined;
  const user = await vscode.window.showInputBox({
    title: 'Adopt Existing Cluster: SSH user',
    prompt: 'The login user on the nodes (empty: your local user name, as ssh does).',
    ignoreFocusOut: true,
  });
  if (user === undefined) return undefined;
  const login = await askLogin();
  if (!login) return undefined;
  const target = await freeSpecUri(folder.uri);
  const adopted = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Adopting the cluster at ${address.trim()}…`,
      cancellable: true,
    },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        return await adoptCluster(
          { address: address.trim(), user: user.trim() || undefined, identityFile: login.identityFile },
          {
            prompts: ctx.environment.prompts,
            knownHosts: ctx.environment.knownHosts,
            secret: async (key) => (key === ADOPT_SSH_PASSWORD ? login.password : undefined),
            homeDir: ctx.environment.homeDir,
            log: (line) => ctx.log.info(line),
            signal: abort.signal,
          },
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        ctx.log.warn(`Adopt ${address}: ${message}`);
        void vscode.window.showErrorMessage(`Could not adopt the cluster at ${address}: ${message}`);
        return undefined;
      }
    },
  );
  if (!adopted) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(adopted.text));
  if (login.password)
    await keepAdoptPassword(ctx.environment.secrets, target.fsPath, adopted.cluster, login.password);
  ctx.log.info(`Adopted ${adopted.cluster.name} into ${target.fsPath}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
  const c = adopted.cluster;
  void vscode.window.showInformationMessage(
    `Adopted ${c.name}: ${c.nodes.map((n) => n.hostname).join(', ')}. Store the secrets it names (the Gateway Manager password, the activation token) when an operation asks.`,
  );
  return target;
};
