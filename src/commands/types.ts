import type * as vscode from 'vscode';
import type { ClusterEnvironment, ClusterRegistry } from '../clusters';
import type { LanguageFeatures } from '../language';
import type { SpecService } from '../spec-service';
import type { ClustersTree } from '../tree/clusters-tree';
import type { WizardPanels } from '../wizards/panels';

/** Everything a command needs, built once by the composition root (src/features.ts). */
export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  /** Spec discovery and validation. */
  readonly specs: SpecService;
  /** One context per cluster of the workspace. */
  readonly registry: ClusterRegistry;
  /** The Clusters view: provider, TreeView, pickers for commands run from the palette. */
  readonly tree: ClustersTree;
  /** The wizard panels (preflight, join, deploy, register). */
  readonly wizards: WizardPanels;
  readonly language: LanguageFeatures;
  /** What every cluster context gets from the editor (prompts, known hosts): adopt connects before any spec. */
  readonly environment: ClusterEnvironment;
}

/** A command factory: given the context, returns the handler. */
export type CommandFactory = (ctx: CommandContext) => (...args: unknown[]) => unknown;
