// The Markdown of the tree's tooltips, built here (pure) so its escaping is tested: text is escaped for
// Markdown, while code spans hold their text as is (inside them a backslash would show).

/** Text that reads literally in Markdown. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** A code span whose fence is longer than any run of backticks in the text. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export interface ClusterTooltipFacts {
  name: string;
  health: string;
  specPath: string;
  documentIndex: number;
  topology?: string;
  apiServer?: string;
  serverVersion?: string;
  /** The chart version the spec asks for (what is deployed is shown by the cluster's releases). */
  specChartVersion?: string;
  connectError?: string;
  connected: boolean;
}

export function clusterTooltip(f: ClusterTooltipFacts): string {
  const lines = [`**${markdownText(f.name)}** — ${markdownText(f.health)}`];
  lines.push(
    `Spec: ${markdownCode(f.specPath)}${f.documentIndex > 0 ? ` (document ${f.documentIndex + 1})` : ''}`,
  );
  if (f.topology) lines.push(`Topology: ${markdownText(f.topology)}`);
  if (f.apiServer) lines.push(`API: ${markdownCode(f.apiServer)}`);
  if (f.serverVersion) lines.push(`Kubernetes: ${markdownText(f.serverVersion)}`);
  if (f.specChartVersion) lines.push(`Charts in the spec: ${markdownText(f.specChartVersion)}`);
  if (f.connectError) lines.push(`Last connect failed: ${markdownText(f.connectError)}`);
  if (!f.connected) lines.push('_Not connected: use Connect to fetch the kubeconfig over SSH._');
  return lines.join('\n\n');
}

export interface NodeTooltipFacts {
  name: string;
  description: string;
  specIndex?: number;
  specAddress?: string;
  apiAddresses?: string[];
  mismatches: string[];
}

export function nodeTooltip(f: NodeTooltipFacts): string {
  const lines = [`**${markdownText(f.name)}** — ${markdownText(f.description)}`];
  if (f.specIndex !== undefined)
    lines.push(`Spec: node ${f.specIndex + 1}, ${markdownText(f.specAddress ?? '')}`);
  if (f.apiAddresses) lines.push(`Cluster: ${markdownText(f.apiAddresses.join(', ') || 'no address')}`);
  for (const mismatch of f.mismatches) lines.push(`$(warning) ${markdownText(mismatch)}`);
  return lines.join('\n\n');
}
