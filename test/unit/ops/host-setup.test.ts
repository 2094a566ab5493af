// The setup scripts' refusals (install, configure-agents) say what the script said and what to do about it.
import assert from 'node:assert/strict';
import { EXAMPLE_LOAD_BALANCED_SPEC, validateText, type ClusterModel } from '../../../src/cluster-spec';
import { StepFailure } from '../../../src/ops/errors';
import type { ExecOptions, StepContext } from '../../../src/ops/plan';
import type { NodeCommand, NodeExecResult } from '../../../src/ops';
import { installPlan } from '../../../src/ops/plans/install';
import { appliedText } from '../../../src/ops/plans/gateway-files';

const model: ClusterModel = validateText(EXAMPLE_LOAD_BALANCED_SPEC, 'cluster.yaml', { offline: true })
  .documents[0]!.model!;

/** A step context whose setup script exits 1 with what the install key's refusal prints. */
function refusingContext(): StepContext {
  const exec = async (
    _node: unknown,
    command: NodeCommand,
    options: ExecOptions = {},
  ): Promise<NodeExecResult> => {
    const text = 'argv' in command ? command.argv.join(' ') : command.script;
    if (!text.includes('setupGateway.sh')) return { code: 0, stdout: '', stderr: '' };
    const result = {
      code: 1,
      stdout: 'Executing configure\n        Parsing input response file\n        Validating install key\n',
      stderr: '        Install key is invalid or expired.\n',
    };
    const explained = options.explain?.(result);
    throw new StepFailure(explained?.message ?? 'The command exited with 1.', explained?.hint ?? 'generic');
  };
  return { exec, secret: async () => 'value', shared: new Map() } as unknown as StepContext;
}

describe('install: a setup script that refuses', () => {
  it('says what setupGateway.sh said, and that the stored install key or password is what to change', async () => {
    const setup = installPlan(model, { timeouts: { command: 1000, long: 1000 } }).steps.find(
      (s) => s.id === 'setup',
    )!;
    const node = model.nodes[0]!;
    await assert.rejects(
      () => setup.run(refusingContext(), node),
      (error: StepFailure) => {
        assert.equal(
          error.message,
          `setupGateway.sh failed on ${node.hostname} (exit 1): Install key is invalid or expired.`,
        );
        assert.match(
          error.hint,
          /the install key \(secret mgw-install-key\), the gateway password \(secret mgw-gateway-password\)/,
        );
        assert.match(error.hint, /Change button in this panel/);
        return true;
      },
    );
  });
});

describe('install: a gateway set up as the spec says whose service stopped', () => {
  it('starts the service instead of running setupGateway.sh again, which refuses a second setup', async () => {
    const plan = installPlan(model, { timeouts: { command: 1000, long: 1000 } });
    const facts = plan.steps.find((s) => s.id === 'facts')!;
    const setup = plan.steps.find((s) => s.id === 'setup')!;
    const gateway = model.gateway!;
    const applied = appliedText({
      group: gateway.group,
      user: gateway.user,
      port: String(gateway.port),
      package: gateway.package.split('/').pop()!,
    }).trimEnd();
    const ran: string[] = [];
    const exec = async (_node: unknown, command: NodeCommand): Promise<NodeExecResult> => {
      const text = 'argv' in command ? command.argv.join(' ') : command.script;
      ran.push(text);
      if (text.includes('@@gc-check'))
        return {
          code: 0,
          stdout: [
            '@@gc-check rpm',
            'oracle.mgmt_gateway-230207.1529-1.x86_64',
            '@@gc-check rpm exit 0',
            '@@gc-check active',
            'inactive',
            '@@gc-check active exit 3',
            '@@gc-check applied',
            applied,
            '@@gc-check applied exit 0',
            '',
          ].join('\n'),
          stderr: '',
        };
      return { code: 0, stdout: '', stderr: '' };
    };
    const ctx = {
      exec,
      secret: async () => 'value',
      shared: new Map(),
      log: () => undefined,
    } as unknown as StepContext;
    const node = model.nodes[1]!;
    await facts.run(ctx, node);
    assert.equal(await setup.check!(ctx, node), undefined, 'not done: its service does not run');
    const summary = await setup.run(ctx, node);
    assert.match(String(summary), /its stopped service started/);
    assert.ok(ran.includes('systemctl start mgmt_gateway'), ran.join('\n'));
    assert.ok(!ran.some((c) => c.includes('setupGateway.sh')), ran.join('\n'));
  });
});
