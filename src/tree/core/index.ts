// The tree's pure logic: no vscode, tested in plain Node.
export * from './types';
export * from './merge-nodes';
export * from './health';
export * from './describe';
export * from './grouping';
export * from './drain';
export * from './tooltips';
export * from './load-balancer';
export * from './cluster-objects';
export * from './cluster-state';
