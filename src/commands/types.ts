import type * as vscode from 'vscode';

/** Everything a command needs, built once by activate(). */
export interface ExtensionContextBag {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Refreshes the Clusters view (the tree decides how much to redraw). */
  refreshClusters(): void;
}

/** A command factory: given the context, returns the handler. */
export type CommandFactory = (ctx: ExtensionContextBag) => (...args: unknown[]) => unknown;
