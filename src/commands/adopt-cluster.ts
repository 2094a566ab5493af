// "Adopt Existing Cluster…": the editor's `gateway-cluster adopt`. Asks for one node's SSH address, the user
// and how to log in (the agent or default keys, a key file, or a password: the spec then names it as
// ssh.passwordSecret and the editor's secret storage keeps it for the adopted cluster, never the file), connects
// with the editor's host-key prompts (an unknown key is shown with its fingerprint, never trusted on its own),
// discovers the cluster and writes its cluster.yaml into the workspace — never over an existing file — then
// opens it. The Clusters view picks it up like any spec. A failure says what to do, and Try Again asks the
// same questions with the previous answers filled in.
import * as vscode from 'vscode';
import { ADOPT_SSH_PASSWORD, adoptCluster, keepAdoptPassword, type Adopted } from '../clusters';
import { AdoptRefusal } from '../ops';
import { askAdoptAnswers, type AdoptAnswers, type AdoptAsker } from './adopt-answers';
import { freeSpecUri, pickWorkspaceFolder } from './create-example-spec';
import type { CommandContext, CommandFactory } from './types';

const editorBoxes: AdoptAsker = {
  input: (o) =>
    Promise.resolve(
      vscode.window.showInputBox({
        title: o.title,
        prompt: o.prompt,
        placeHolder: o.placeHolder,
        value: o.value,
        password: o.password,
        ignoreFocusOut: true,
        validateInput: o.validate,
      }),
    ),
  pick: (items, title) =>
    Promise.resolve(vscode.window.showQuickPick([...items], { title, ignoreFocusOut: true })),
  file: async (title, current) => {
    const picked = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      ...(current ? { defaultUri: vscode.Uri.file(current) } : {}),
    });
    return picked?.[0]?.fsPath;
  },
};

const TRY_AGAIN = 'Try Again…';

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
  let previous: AdoptAnswers | undefined;
  for (;;) {
    const answers = await askAdoptAnswers(editorBoxes, previous);
    if (!answers) return undefined;
    const target = await freeSpecUri(folder.uri);
    const outcome = await adoptWithProgress(ctx, answers, target);
    if (outcome === undefined) return undefined;
    if ('failed' in outcome) {
      const again = await vscode.window.showErrorMessage(outcome.failed, TRY_AGAIN);
      if (again !== TRY_AGAIN) return undefined;
      previous = answers;
      continue;
    }
    return written(ctx, outcome, answers, target);
  }
};

/** Adopts under a progress notification with Cancel: the result, the failure to show, or undefined (cancelled). */
async function adoptWithProgress(
  ctx: CommandContext,
  answers: AdoptAnswers,
  target: vscode.Uri,
): Promise<Adopted | { failed: string } | undefined> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Adopting the cluster at ${answers.address}…`,
      cancellable: true,
    },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        return await adoptCluster(
          {
            address: answers.address,
            user: answers.user || undefined,
            identityFile: answers.identityFile,
            specPath: target.fsPath,
          },
          {
            prompts: ctx.environment.prompts,
            knownHosts: ctx.environment.knownHosts,
            secret: async (key) => (key === ADOPT_SSH_PASSWORD ? answers.password : undefined),
            homeDir: ctx.environment.homeDir,
            log: (line) => ctx.log.info(line),
            signal: abort.signal,
          },
        );
      } catch (error) {
        if (abort.signal.aborted) return undefined;
        const message = error instanceof Error ? error.message : String(error);
        ctx.log.warn(`Adopt ${answers.address}: ${message}`);
        const hint = error instanceof AdoptRefusal ? ` What to do: ${error.hint}` : '';
        return { failed: `Could not adopt the cluster at ${answers.address}: ${message}${hint}` };
      }
    },
  );
}

async function written(
  ctx: CommandContext,
  adopted: Adopted,
  answers: AdoptAnswers,
  target: vscode.Uri,
): Promise<vscode.Uri> {
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(adopted.text));
  if (answers.password)
    await keepAdoptPassword(ctx.environment.secrets, target.fsPath, adopted.cluster, answers.password);
  ctx.log.info(`Adopted ${adopted.cluster.name} into ${target.fsPath}`);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
  const c = adopted.cluster;
  void vscode.window.showInformationMessage(
    `Adopted ${c.name}: ${c.nodes.map((n) => n.hostname).join(', ')}. Store the secrets it names (the Gateway Manager password, the activation token) when an operation asks.`,
  );
  return target;
}
