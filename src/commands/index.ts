import { createExampleSpec } from './create-example-spec';
import { openReadme } from './open-readme';
import type { CommandFactory } from './types';

/** Every command id and its factory: activate() registers them from this table. */
export const commandTable: Record<string, CommandFactory> = {
  'gatewayCluster.spec.createExample': createExampleSpec,
  'gatewayCluster.help.openReadme': openReadme,
  'gatewayCluster.clusters.refresh': (ctx) => () => ctx.refreshClusters(),
};
