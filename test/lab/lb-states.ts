// The states of a load-balanced lab, made with the stand-ins themselves (as install, configure-lb and
// configure-agents would leave the hosts): fresh, installed, configured.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabInfo, LabState } from './api';
import { validateText } from '../../src/cluster-spec';
import { haproxyConfig } from '../../src/ops/haproxy/config';
import { APPLIED_FILE, appliedText } from '../../src/ops/plans/gateway-files';
import { LAB_FRONTENDS, LAB_GATEWAY_GROUP, LAB_GATEWAY_PORT, LAB_GATEWAY_USER } from './lb-spec';
import { LB_INDEX, must, waitForServing } from './lb-hosts';
import type { NodePlan } from './nodes';

export const PACKAGE_FILES = {
  gateway: 'oracle.mgmt_gateway.230207.1529.1675888242.Linux-x86_64.rpm',
  agent: 'oracle.mgmt_agent.230207.1529.Linux-x86_64.rpm',
};

export interface Host {
  plan: NodePlan;
  role: 'gateway' | 'lb' | 'agent';
}

/**
 * fresh: nothing installed, haproxy running Debian's default configuration. installed: every gateway installed
 * and set up as install leaves it (its record included). configured: also haproxy running the configuration
 * configure-lb generates from the lab's spec, and the agents set up to use the load balancer.
 */
export async function bringToState(info: LabInfo, state: LabState, hosts: Host[]): Promise<void> {
  const binDir = join(info.dir, 'bin');
  const lb = hosts[0] as Host;
  const model = validateText(info.specYaml, info.specPath).documents[0]?.model;
  if (!model?.loadBalancer || !model.gateway) throw new Error('lab: the load-balanced spec has no model');
  if (state === 'configured') {
    writeFileSync(join(lb.plan.dir, 'etc-upper', 'haproxy', 'haproxy.cfg'), haproxyConfig(model).text);
  }
  await must(info.dir, LB_INDEX, binDir, ['systemctl', 'start', 'haproxy']);
  if (state === 'fresh') return;
  const responseFile = '/var/lib/gateway-cluster/lab-setup.rsp';
  await Promise.all(
    hosts
      .filter((h) => h.role === 'gateway')
      .map(async (h) => {
        const i = h.plan.index;
        await must(info.dir, i, binDir, ['rpm', '-ivh', info.packages!.gateway]);
        const rsp = `ManagementAgentInstallKey = ${info.installKey}\nFreeFormTags = [{"GatewayGroup":"${LAB_GATEWAY_GROUP}"}]\nGatewayUsername=${LAB_GATEWAY_USER}\nGatewayPassword=${info.gatewayPassword}\n`;
        await must(info.dir, i, binDir, ['sh', '-c', `umask 077; cat > ${responseFile}`], rsp);
        await must(info.dir, i, binDir, [
          '/opt/oracle/mgmt_agent/agent_inst/bin/setupGateway.sh',
          `opts=${responseFile}`,
        ]);
        await must(info.dir, i, binDir, ['rm', '-f', responseFile]);
        const applied = appliedText({
          group: LAB_GATEWAY_GROUP,
          user: LAB_GATEWAY_USER,
          port: String(LAB_GATEWAY_PORT),
          package: PACKAGE_FILES.gateway,
        });
        await must(info.dir, i, binDir, ['sh', '-c', `cat > ${APPLIED_FILE.gateway}`], applied);
      }),
  );
  if (state !== 'configured') return;
  // Agents connect through the load balancer: wait until its checks passed on every gateway.
  await waitForServing(info, model.loadBalancer.backend.name, info.nodes.length);
  for (const h of hosts.filter((x) => x.role === 'agent')) {
    const i = h.plan.index;
    await must(info.dir, i, binDir, ['rpm', '-ivh', info.packages!.agent]);
    const rsp = `ManagementAgentInstallKey = ${info.installKey}\nGatewayServerHost=${info.loadBalancer!.address}\nGatewayServerPort=${LAB_FRONTENDS[1]}\nGatewayServerUser=${LAB_GATEWAY_USER}\nGatewayServerPassword=${info.gatewayPassword}\n`;
    await must(info.dir, i, binDir, ['sh', '-c', `umask 077; cat > ${responseFile}`], rsp);
    await must(info.dir, i, binDir, [
      '/opt/oracle/mgmt_agent/agent_inst/bin/setup.sh',
      `opts=${responseFile}`,
    ]);
    await must(info.dir, i, binDir, ['rm', '-f', responseFile]);
    const applied = appliedText({
      gatewayHost: info.loadBalancer!.address,
      gatewayPort: String(LAB_FRONTENDS[1]),
      user: LAB_GATEWAY_USER,
    });
    await must(info.dir, i, binDir, ['sh', '-c', `cat > ${APPLIED_FILE.agent}`], applied);
  }
}
