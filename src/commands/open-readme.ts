import * as vscode from 'vscode';
import type { CommandFactory } from './types';

/** Opens the extension's own README (shipped in the package) as a rendered preview. */
export const openReadme: CommandFactory = (ctx) => async () => {
  const readme = vscode.Uri.joinPath(ctx.extension.extensionUri, 'README.md');
  await vscode.commands.executeCommand('markdown.showPreview', readme);
};
