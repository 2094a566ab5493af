import { adoptExistingCluster } from './adopt-cluster';
import { createExampleSpec } from './create-example-spec';
import { newClusterSpec } from './new-cluster-spec';
import { openReadme } from './open-readme';
import * as clusters from './cluster-actions';
import * as lb from './lb-actions';
import * as nodes from './node-actions';
import * as nodeWizards from './node-wizards';
import * as pods from './pod-actions';
import * as view from './view-actions';
import * as objects from './object-actions';
import * as tools from './pod-tools';
import type { CommandFactory } from './types';
import { validateAllSpecs } from './validate-all-specs';
import * as wizards from './wizards';

/** Every command id and its factory: activate() registers them from this table. */
export const commandTable: Record<string, CommandFactory> = {
  'gatewayCluster.spec.createExample': createExampleSpec,
  'gatewayCluster.spec.new': newClusterSpec,
  'gatewayCluster.spec.validateAll': validateAllSpecs,
  'gatewayCluster.help.openReadme': openReadme,
  'gatewayCluster.clusters.refresh': (ctx) => async () => {
    await ctx.specs.validateAll();
    ctx.tree.provider.refresh();
  },
  'gatewayCluster.clusters.connectAll': clusters.connectAll,
  'gatewayCluster.clusters.findPod': view.findPod,
  'gatewayCluster.clusters.filterPods': view.filterPods,
  'gatewayCluster.clusters.clearFilter': view.clearFilter,
  'gatewayCluster.clusters.reveal': view.revealCluster,
  'gatewayCluster.cluster.connect': clusters.connectCluster,
  'gatewayCluster.cluster.disconnect': clusters.disconnectCluster,
  'gatewayCluster.cluster.retry': clusters.retryCluster,
  'gatewayCluster.cluster.openSpec': clusters.openSpec,
  'gatewayCluster.cluster.openGatewayManager': clusters.openGatewayManager,
  'gatewayCluster.cluster.exportKubeconfig': clusters.exportKubeconfig,
  'gatewayCluster.node.openTerminal': nodes.openTerminal,
  'gatewayCluster.node.revealInSpec': nodes.revealInSpec,
  'gatewayCluster.node.cordon': nodes.cordonNode,
  'gatewayCluster.node.uncordon': nodes.uncordonNode,
  'gatewayCluster.node.drain': nodes.drainNode,
  'gatewayCluster.node.copyAddress': nodes.copyAddress,
  'gatewayCluster.pod.showLogs': pods.showLogs,
  'gatewayCluster.pod.stopLogs': pods.stopLogs,
  'gatewayCluster.pod.describe': pods.describePod,
  'gatewayCluster.pod.delete': pods.deletePod,
  'gatewayCluster.pod.copyName': pods.copyPodName,
  // The cluster's own objects and the operator's tools (docs/tree.md).
  'gatewayCluster.node.describe': objects.describeNode,
  'gatewayCluster.node.showYaml': objects.showNodeYaml,
  'gatewayCluster.pod.showYaml': pods.showPodYaml,
  'gatewayCluster.pod.showEvents': pods.showPodEvents,
  'gatewayCluster.pod.openShell': tools.openShell,
  'gatewayCluster.pod.portForward': tools.portForwardPod,
  'gatewayCluster.pod.restartWorkload': tools.restartWorkload,
  'gatewayCluster.pod.scaleWorkload': tools.scaleWorkload,
  'gatewayCluster.section.refresh': objects.refreshSection,
  'gatewayCluster.service.portForward': objects.portForwardService,
  'gatewayCluster.portForward.open': objects.openPortForward,
  'gatewayCluster.portForward.stop': objects.stopPortForward,
  'gatewayCluster.cluster.preflight': wizards.openPreflight,
  'gatewayCluster.cluster.join': wizards.openJoin,
  'gatewayCluster.cluster.deploy': wizards.openDeploy,
  'gatewayCluster.cluster.register': wizards.openRegister,
  'gatewayCluster.cluster.addNode': wizards.openAddNode,
  'gatewayCluster.node.remove': nodeWizards.openRemoveNode,
  'gatewayCluster.node.replace': nodeWizards.openReplaceNode,
  'gatewayCluster.node.drill': nodeWizards.openDrill,
  'gatewayCluster.cluster.install': wizards.openInstall,
  'gatewayCluster.cluster.configureLb': wizards.openConfigureLb,
  'gatewayCluster.cluster.configureAgents': wizards.openConfigureAgents,
  'gatewayCluster.lb.refresh': lb.refreshLoadBalancer,
  'gatewayCluster.lb.showConfig': lb.showConfig,
  'gatewayCluster.lb.openStats': lb.openStats,
  'gatewayCluster.lb.drainServer': lb.drainServer,
  'gatewayCluster.lb.disableServer': lb.disableServer,
  'gatewayCluster.lb.enableServer': lb.enableServer,
  'gatewayCluster.lb.drill': lb.openServerDrill,
  'gatewayCluster.cluster.validate': wizards.openValidateCluster,
  'gatewayCluster.cluster.diagnostics': wizards.openDiagnostics,
  'gatewayCluster.cluster.deregister': wizards.openDeregister,
  'gatewayCluster.cluster.migrate': wizards.openMigrate,
  'gatewayCluster.cluster.rollback': wizards.openRollback,
  'gatewayCluster.cluster.reset': wizards.openReset,
  'gatewayCluster.cluster.delete': wizards.openDelete,
  'gatewayCluster.clusters.adopt': adoptExistingCluster,
  'gatewayCluster.cluster.openLastFailedRun': clusters.openLastFailedRun,
};
