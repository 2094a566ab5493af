// The setup scripts' refusals (install, configure-agents) say what the script said and what to do about it.
import assert from 'node:assert/strict';
import { EXAMPLE_LOAD_BALANCED_SPEC, validateText, type ClusterModel } from '../../../src/cluster-spec';
import { StepFailure } from '../../../src/ops/errors';
import type { ExecOptions, StepContext } from '../../../src/ops/plan';
import type { NodeCommand, NodeExecResult } from '../../../src/ops';
import { installPlan } from '../../../src/ops/plans/install';

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
  return { exec, secret: async () => 'value' } as unknown as StepContext;
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
