// gateway-cluster plan OPERATION SPEC: the dry run — every step with its exact commands, secrets masked.
// Nothing runs, nothing connects (no plan reads the cluster to build itself yet), no lock, no secrets.
import type { OperationCliArgs } from './args';
import { openCluster, type CliHost } from './cluster';
import { EXIT, type ExitStatus } from './exit';
import { planOf } from './operation';
import type { Output } from './output';

export async function planCommand(
  args: OperationCliArgs,
  host: CliHost,
  output: Output,
): Promise<ExitStatus> {
  const { context } = openCluster(args, host, output);
  try {
    const engine = context.engine({ record: false });
    output.plan(engine.dryRun(planOf(engine, args, context)));
    return EXIT.ok;
  } finally {
    await context.dispose();
  }
}
