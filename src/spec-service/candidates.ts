// Which files may hold a spec, decided before the spec core loads (cheap text checks only).

/** Cheap pre-filter before the spec core loads: the contract's names, or a document mentioning the kind. */
export function isSpecCandidate(fileName: string, text: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base === 'cluster.yaml' || base.endsWith('.cluster.yaml') || text.includes('GatewayCluster');
}

/** Workspace files worth reading from disk: spec names, or YAML that mentions the kind. */
export function isWorkspaceSpecName(fileName: string): boolean {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base === 'cluster.yaml' || base.endsWith('.cluster.yaml');
}
