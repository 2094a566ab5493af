// `plan` and `run`'s arguments, checked against the catalog: the operation must be one it names, and an
// operation on one node (`node: 'required'`) needs --node, the others refuse it.
import { OPERATIONS, type OperationInfo, type OperationPlanName } from '../ops/catalog';
import {
  flagOf,
  formatOf,
  listOf,
  parseOptions,
  valueOf,
  type OptionSpec,
  type OutputFormat,
} from './options';

export type OperationCommand = 'plan' | 'run';

export interface OperationCliArgs {
  command: OperationCommand;
  operation: OperationPlanName;
  spec: string;
  cluster?: string;
  node?: string;
  format: OutputFormat;
  /** run only: --secrets-file (the caller falls back to $GATEWAY_CLUSTER_SECRETS_FILE). */
  secretsFile?: string;
  knownHosts: string[];
  acceptNewHostKeys: boolean;
  /** run only: answers the operation's confirmations. */
  yes: boolean;
  /** --force, for an operation whose catalog entry has the flag (remove-node: a node gone for good). */
  force: boolean;
  /** --confirm VALUE: a confirmation given ahead (the node's name for --force, a replaced VM's fingerprint). */
  confirm?: string;
}

const COMMON: Record<string, OptionSpec> = {
  cluster: { value: true },
  node: { value: true },
  format: { value: true },
  'known-hosts': { value: true, repeatable: true },
  'accept-new-host-keys': {},
};

export const OPTION_TABLES: Record<OperationCommand, Record<string, OptionSpec>> = {
  plan: COMMON,
  run: { ...COMMON, 'secrets-file': { value: true }, yes: {}, force: {}, confirm: { value: true } },
};

/** Parses `plan|run OPERATION SPEC [options]` (args after the command word); a string is a usage error. */
export function parseOperationArgs(
  command: OperationCommand,
  args: readonly string[],
  catalog: Record<string, OperationInfo> = OPERATIONS,
): OperationCliArgs | string {
  const parsed = parseOptions(args, OPTION_TABLES[command]);
  if (typeof parsed === 'string') return parsed;
  const format = formatOf(parsed);
  if (format !== 'text' && format !== 'json') return format;
  const [operation, spec, ...extra] = parsed.positionals;
  const names = Object.keys(catalog).join(', ');
  if (operation === undefined) return `no OPERATION given (one of ${names})`;
  if (!Object.hasOwn(catalog, operation)) return `unknown operation "${operation}" (one of ${names})`;
  if (spec === undefined) return 'no SPEC given';
  if (extra.length) return `unexpected argument "${extra[0]}"`;
  const node = valueOf(parsed, 'node');
  const info = catalog[operation]!;
  if (info.node === 'required' && node === undefined)
    return `${operation} works on one node: name it with --node HOSTNAME`;
  if (info.node === 'none' && node !== undefined)
    return `${operation} works on the whole cluster and takes no --node`;
  const force = flagOf(parsed, 'force');
  if (force && !(info.flags ?? []).includes('force')) return `${operation} takes no --force`;
  return {
    command,
    operation: operation as OperationPlanName,
    spec,
    cluster: valueOf(parsed, 'cluster'),
    node,
    format,
    secretsFile: valueOf(parsed, 'secrets-file'),
    knownHosts: listOf(parsed, 'known-hosts'),
    acceptNewHostKeys: flagOf(parsed, 'accept-new-host-keys'),
    yes: flagOf(parsed, 'yes'),
    force,
    confirm: valueOf(parsed, 'confirm'),
  };
}
