// install (seed 003, step 1): on each gateway host, the gateway package uploaded over SFTP and installed with
// rpm, setupGateway.sh run with a response file (install key, GatewayGroup tag, gateway user and password)
// that is written 0600 and deleted afterwards, and the gateway's /healthcheck answering over TLS. "Already
// done" when the gateway runs, set up with the spec's group. All gateways at once.
import type { ClusterModel } from '../../cluster-spec/types';
import { StepFailure } from '../errors';
import { lbCmd } from '../lb-commands';
import type { Plan, Step } from '../plan';
import { GATEWAY_SETUP } from './gateway-files';
import { factsStep, packageStep, setupStep, type Expected } from './host-setup';
import { assertLoadBalanced } from './validate-load-balanced';

export interface InstallOptions {
  timeouts: { command: number; long: number };
  /** How many times (one a second) the health check is tried after the setup (default 60). */
  healthAttempts?: number;
}

export function installPlan(model: ClusterModel, options: InstallOptions): Plan {
  assertLoadBalanced(model, 'install');
  const gateway = model.gateway!;
  const lb = model.loadBalancer!;
  const expected: Expected = {
    applied: {
      group: gateway.group,
      user: gateway.user,
      port: String(gateway.port),
      package: gateway.package.replace(/\\/g, '/').split('/').pop() ?? gateway.package,
    },
    fixed: ['group', 'user'],
    uninstallHint: (node) =>
      `A gateway joins its GatewayGroup when it is set up. To move ${node.hostname}, uninstall it there (sudo rpm -e oracle.mgmt_gateway) and run install again; or put the old values back in cluster.yaml.`,
  };
  const health: Step = {
    id: 'health',
    title: 'Check each gateway answers its health check',
    nodes: model.nodes,
    parallel: true,
    readOnly: true,
    checkText: 'never (read-only; always runs)',
    proofText: `GET ${lb.healthCheck.path} over TLS on port ${gateway.port} answers 200`,
    async run(ctx, node) {
      const result = await ctx.exec(
        node!,
        lbCmd.healthProbe(gateway.port, lb.healthCheck.path, node!.hostname, options.healthAttempts ?? 60),
        { timeoutMs: ((options.healthAttempts ?? 60) + 5) * 6_000, okCodes: 'any' },
      );
      if (result.code !== 0) {
        throw new StepFailure(
          `${node!.hostname} does not answer GET ${lb.healthCheck.path} on port ${gateway.port}: ${result.stdout.trim()}`,
          `Look at the gateway's logs on ${node!.hostname} (/opt/oracle/mgmt_agent/agent_inst/log) and its service (systemctl status mgmt_gateway), then resume.`,
          { node: node!.hostname },
        );
      }
      return result.stdout.trim().split('\n').pop();
    },
    preview: (p, node) => [
      {
        node: node!.hostname,
        command: p.show(lbCmd.healthProbe(gateway.port, lb.healthCheck.path, node!.hostname, 60)),
      },
    ],
  };
  return {
    operation: 'install',
    cluster: model.name,
    model,
    steps: [
      factsStep('gateway', model.nodes, expected),
      packageStep('gateway', model.nodes, gateway.package),
      setupStep({
        role: 'gateway',
        hosts: model.nodes,
        script: GATEWAY_SETUP,
        expected,
        inputs: `the install key (secret ${gateway.installKeySecret}), the gateway password (secret ${gateway.passwordSecret})`,
        async entries(ctx) {
          const key = await ctx.secret(gateway.installKeySecret, 'the install key');
          const password = await ctx.secret(gateway.passwordSecret, 'the gateway password');
          return [
            ['ManagementAgentInstallKey', key],
            ['FreeFormTags', `[{"GatewayGroup":"${gateway.group}"}]`],
            ['GatewayUsername', gateway.user],
            ['GatewayPassword', password],
          ];
        },
        previewEntries: (p) => [
          ['ManagementAgentInstallKey', p.placeholderSecret()],
          ['FreeFormTags', `[{"GatewayGroup":"${gateway.group}"}]`],
          ['GatewayUsername', gateway.user],
          ['GatewayPassword', p.placeholderSecret()],
        ],
      }),
      health,
    ],
  };
}
