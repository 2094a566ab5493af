// The cluster's own objects as the tests read them: a cluster's sections (or a node's Events) with their
// rows, listed as an expand would (which starts each section's watch), and a command run on one row.
import * as vscode from 'vscode';
import type { ClustersTree } from '../../../src/tree/clusters-tree';
import type { RowElement, SectionElement } from '../../../src/tree/elements';

export interface SectionsRequest {
  cluster: string;
  /** A node's own Events section instead of the cluster's sections. */
  node?: string;
  /** Stop the sections' watches afterwards (as a collapse does). */
  collapse?: boolean;
  /** Run a command on the first row whose label (or description) contains this text. */
  row?: { section: string; contains: string; command: string; args?: unknown };
}

export interface SectionRowSnapshot {
  label: string;
  description: string;
  tooltip: string;
  contextValue: string;
}

async function sectionsOf(tree: ClustersTree, request: SectionsRequest): Promise<SectionElement[]> {
  const cluster = await tree.pickCluster(request.cluster);
  if (!cluster) throw new Error(`no cluster ${request.cluster}`);
  if (request.node) {
    const node = await tree.pickNode({ cluster: request.cluster, node: request.node });
    if (!node) throw new Error(`no node ${request.node}`);
    return [tree.provider.sections.nodeEvents(node)];
  }
  return (await tree.provider.getChildren(cluster)).filter((e): e is SectionElement => e.kind === 'section');
}

export async function sectionsSnapshot(tree: ClustersTree, request: SectionsRequest) {
  const sections = await sectionsOf(tree, request);
  const out = [];
  for (const section of sections) {
    const item = tree.provider.getTreeItem(section);
    const rows = (await tree.provider.getChildren(section)) as RowElement[];
    out.push({
      section: section.section,
      label: String(item.label ?? ''),
      description: String(item.description ?? ''),
      rows: rows.map((row): SectionRowSnapshot => {
        const rowItem = tree.provider.getTreeItem(row);
        return {
          label: String(rowItem.label ?? ''),
          description: String(rowItem.description ?? ''),
          tooltip: String(rowItem.tooltip ?? ''),
          contextValue: rowItem.contextValue ?? '',
        };
      }),
    });
    if (request.row && request.row.section === section.section) {
      const row = rows.find(
        (r) => r.label.includes(request.row!.contains) || r.description.includes(request.row!.contains),
      );
      if (!row) throw new Error(`no row with ${request.row.contains} in ${section.section}`);
      return { result: await vscode.commands.executeCommand(request.row.command, row, request.row.args) };
    }
  }
  if (request.collapse) for (const section of sections) tree.provider.sections.stop(section);
  const cluster = await tree.pickCluster(request.cluster);
  const clusterItem = cluster ? tree.provider.getTreeItem(cluster) : undefined;
  return {
    sections: out,
    running: tree.provider.sections.running,
    clusterDescription: String(clusterItem?.description ?? ''),
  };
}
