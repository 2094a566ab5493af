// configure-agents (seed 003, step 3): each agent host gets the management agent (installed from
// agents.package where it is missing) set up with a response file that points it at the load balancer —
// GatewayServerHost and GatewayServerPort — and logs in as the gateway user, as the seed shows. The file is
// written 0600 and deleted afterwards; "already done" when the agent runs, set up for the same host and port.
import type { ClusterModel } from '../../cluster-spec/types';
import { StepFailure } from '../errors';
import { lbCmd } from '../lb-commands';
import type { Plan, Step } from '../plan';
import { AGENT_SETUP } from './gateway-files';
import { factsStep, packageStep, setupStep, type Expected } from './host-setup';
import { assertLoadBalanced } from './validate-load-balanced';

export function configureAgentsPlan(model: ClusterModel): Plan {
  assertLoadBalanced(model, 'configure-agents');
  const agents = model.agents!;
  const gateway = model.gateway!;
  const expected: Expected = {
    applied: {
      gatewayHost: agents.gatewayHost,
      gatewayPort: String(agents.gatewayPort),
      user: gateway.user,
    },
    fixed: ['gatewayHost', 'gatewayPort', 'user'],
    uninstallHint: (node) =>
      `An agent takes its gateway when it is set up. To point ${node.hostname} elsewhere, uninstall the agent there (sudo rpm -e oracle.mgmt_agent) and run configure-agents again; or put the old values back in cluster.yaml.`,
  };
  const running: Step = {
    id: 'running',
    title: 'Check each agent runs',
    nodes: agents.hosts,
    parallel: true,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: 'systemctl is-active mgmt_agent',
    async run(ctx, node) {
      const result = await ctx.exec(node!, lbCmd.serviceActive('agent'), { okCodes: 'any' });
      if (result.code !== 0)
        throw new StepFailure(
          `The agent on ${node!.hostname} does not run (${result.stdout.trim() || 'no answer'}).`,
          `Start it (sudo systemctl start mgmt_agent) and look at its logs on ${node!.hostname}, then resume.`,
          { node: node!.hostname },
        );
      return `runs, through ${agents.gatewayHost}:${agents.gatewayPort}`;
    },
    preview: (p, node) => [{ node: node!.hostname, command: p.show(lbCmd.serviceActive('agent')) }],
  };
  return {
    operation: 'configure-agents',
    cluster: model.name,
    model,
    steps: [
      factsStep('agent', agents.hosts, expected),
      packageStep('agent', agents.hosts, agents.package),
      setupStep({
        role: 'agent',
        hosts: agents.hosts,
        script: AGENT_SETUP,
        expected,
        inputs: `the agents' install key (secret ${agents.installKeySecret}), the gateway password (secret ${gateway.passwordSecret}), the gateway at ${agents.gatewayHost}:${agents.gatewayPort}`,
        async entries(ctx) {
          const key = await ctx.secret(agents.installKeySecret, "the agents' install key");
          const password = await ctx.secret(gateway.passwordSecret, 'the gateway password');
          return [
            ['ManagementAgentInstallKey', key],
            ['GatewayServerHost', agents.gatewayHost],
            ['GatewayServerPort', String(agents.gatewayPort)],
            ['GatewayServerUser', gateway.user],
            ['GatewayServerPassword', password],
          ];
        },
        previewEntries: (p) => [
          ['ManagementAgentInstallKey', p.placeholderSecret()],
          ['GatewayServerHost', agents.gatewayHost],
          ['GatewayServerPort', String(agents.gatewayPort)],
          ['GatewayServerUser', gateway.user],
          ['GatewayServerPassword', p.placeholderSecret()],
        ],
      }),
      running,
    ],
  };
}
