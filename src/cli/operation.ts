// The plan of the named operation, as the editor builds it; a spec the operation cannot use is exit 2.
import type { ClusterContext } from '../clusters';
import type { OperationsEngine, Plan } from '../ops';
import type { OperationCliArgs } from './args';
import { CliError, EXIT } from './exit';

export function planOf(engine: OperationsEngine, args: OperationCliArgs, context: ClusterContext): Plan {
  try {
    return engine.plan(args.operation, context.model, {
      node: args.node,
      ...(args.force ? { force: true } : {}),
      ...(args.confirm !== undefined ? { confirm: args.confirm } : {}),
    });
  } catch (error) {
    const message = context.masker.mask(error instanceof Error ? error.message : String(error));
    throw new CliError(EXIT.usage, `cannot plan ${args.operation}: ${message}; nothing was run.`);
  }
}
