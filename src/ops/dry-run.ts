// The dry run: the whole plan with the exact commands, secrets masked; nothing runs and nothing connects.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Plan, PreviewContext } from './plan';
import type { SecretMasker } from './ports';
import type { DryRun, DryRunStep, PlannedCommand } from './records';
import { showCommand } from './runner/node-exec';

/** The whole plan with the exact commands (secrets masked); nothing runs. */
export function dryRunPlan(
  plan: Plan,
  masker: SecretMasker,
  randomBytes: (n: number) => Buffer = cryptoRandomBytes,
): DryRun {
  const preview: PreviewContext = {
    model: plan.model,
    show: (command) => masker.mask(showCommand(command)),
    placeholderSecret: () => {
      const value = randomBytes(16).toString('hex');
      masker.register(value);
      return value;
    },
  };
  const steps: DryRunStep[] = plan.steps.map((step) => {
    const commands: PlannedCommand[] = step.nodes
      ? step.nodes.flatMap((n) => step.preview(preview, n))
      : step.preview(preview, undefined);
    return {
      id: step.id,
      title: step.title,
      nodes: step.nodes?.map((n) => n.hostname),
      parallel: Boolean(step.parallel),
      ...(step.always ? { always: true } : {}),
      ...(step.continueOnFailure ? { continueOnFailure: true } : {}),
      check: step.checkText,
      proof: step.proofText,
      commands: commands.map((c) => ({
        ...c,
        command: masker.mask(c.command),
        stdin: c.stdin && masker.mask(c.stdin),
      })),
    };
  });
  const target = plan.node ? `, node ${plan.node}` : '';
  const lines: string[] = [
    `# ${plan.operation} — cluster ${plan.cluster}${target} (dry run: nothing is executed)`,
  ];
  for (const [i, s] of steps.entries()) {
    lines.push(
      '',
      `${i + 1}. ${s.title}${s.nodes ? ` [${s.nodes.join(', ')}${s.parallel ? ', in parallel' : ', one at a time'}]` : ''}`,
    );
    if (s.always) lines.push('   runs whatever happens: after a failed step or a cancel too');
    if (s.continueOnFailure) lines.push('   a check of its own: the steps after it run even when it fails');
    if (s.check) lines.push(`   skipped when: ${s.check}`);
    for (const c of s.commands) {
      const prefix = `   ${c.node}${c.sudo ? ' (sudo)' : ''}$ `;
      lines.push(prefix + c.command.split('\n').join('\n' + ' '.repeat(prefix.length)));
      if (c.stdin) lines.push(`      stdin: ${c.stdin}`);
      if (c.when) lines.push(`      only ${c.when}`);
    }
    if (s.proof) lines.push(`   proves success by: ${s.proof}`);
  }
  return {
    operation: plan.operation,
    cluster: plan.cluster,
    ...(plan.node ? { node: plan.node } : {}),
    steps,
    text: lines.join('\n'),
  };
}
