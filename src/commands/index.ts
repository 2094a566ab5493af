import { createExampleSpec } from './create-example-spec';
import { newClusterSpec } from './new-cluster-spec';
import { openReadme } from './open-readme';
import * as tree from './tree';
import type { CommandFactory } from './types';
import { validateAllSpecs } from './validate-all-specs';
import * as wizards from './wizards';

/** Every command id and its factory: activate() registers them from this table. */
export const commandTable: Record<string, CommandFactory> = {
  'gatewayCluster.spec.createExample': createExampleSpec,
  'gatewayCluster.spec.new': newClusterSpec,
  'gatewayCluster.spec.validateAll': validateAllSpecs,
  'gatewayCluster.help.openReadme': openReadme,
  'gatewayCluster.clusters.refresh': (ctx) => () => ctx.refreshClusters(),
  'gatewayCluster.clusters.connectAll': tree.connectAll,
  'gatewayCluster.clusters.findPod': tree.findPod,
  'gatewayCluster.clusters.filterPods': tree.filterPods,
  'gatewayCluster.clusters.clearFilter': tree.clearFilter,
  'gatewayCluster.clusters.reveal': tree.revealCluster,
  'gatewayCluster.clusters.snapshot': tree.treeSnapshot,
  'gatewayCluster.cluster.connect': tree.connectCluster,
  'gatewayCluster.cluster.disconnect': tree.disconnectCluster,
  'gatewayCluster.cluster.retry': tree.retryCluster,
  'gatewayCluster.cluster.openSpec': tree.openSpec,
  'gatewayCluster.cluster.openGatewayManager': tree.openGatewayManager,
  'gatewayCluster.cluster.exportKubeconfig': tree.exportKubeconfig,
  'gatewayCluster.node.openTerminal': tree.openTerminal,
  'gatewayCluster.node.revealInSpec': tree.revealInSpec,
  'gatewayCluster.node.cordon': tree.cordonNode,
  'gatewayCluster.node.uncordon': tree.uncordonNode,
  'gatewayCluster.node.drain': tree.drainNode,
  'gatewayCluster.node.copyAddress': tree.copyAddress,
  'gatewayCluster.pod.showLogs': tree.showLogs,
  'gatewayCluster.pod.stopLogs': tree.stopLogs,
  'gatewayCluster.pod.describe': tree.describePod,
  'gatewayCluster.pod.delete': tree.deletePod,
  'gatewayCluster.pod.copyName': tree.copyPodName,
  'gatewayCluster.cluster.preflight': wizards.openPreflight,
  'gatewayCluster.cluster.join': wizards.openJoin,
  'gatewayCluster.cluster.deploy': wizards.openDeploy,
  'gatewayCluster.cluster.register': wizards.openRegister,
};
