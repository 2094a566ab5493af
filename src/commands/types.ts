import type * as vscode from 'vscode';
import type { ClustersTree } from '../tree/clusters-tree';
import type { WizardPanels } from '../wizards/panels';

/** Everything a command needs, built once by activate(). */
export interface ExtensionContextBag {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Refreshes the Clusters view (the tree decides how much to redraw). */
  refreshClusters(): void;
  /** The Clusters view: provider, TreeView, pickers for commands run from the palette. */
  readonly clusters: ClustersTree;
  /** The wizard panels (preflight, join, deploy, register): open one for a spec. */
  readonly wizards: WizardPanels;
}

/** A command factory: given the context, returns the handler. */
export type CommandFactory = (ctx: ExtensionContextBag) => (...args: unknown[]) => unknown;
