// The CLI's usage and help, with the operations listed from the one catalog (src/ops/catalog.ts).
import type { OperationInfo } from '../ops/catalog';

export const USAGE = [
  'usage: gateway-cluster validate [--format text|json] [--offline] FILE...',
  '       gateway-cluster plan OPERATION SPEC [--cluster NAME] [--node HOSTNAME] [--format text|json]',
  '                            [--known-hosts FILE]... [--accept-new-host-keys]',
  '       gateway-cluster run  OPERATION SPEC [--cluster NAME] [--node HOSTNAME] [--format text|json]',
  '                            [--secrets-file FILE] [--known-hosts FILE]... [--accept-new-host-keys] [--yes]',
  '                            [--force] [--confirm ANSWER]',
  '       gateway-cluster adopt --address IP [--user U] [--identity FILE] [--port N] [--name NAME]',
  '                             [--secrets-file FILE] [--known-hosts FILE]... [--accept-new-host-keys] --out FILE',
  '       gateway-cluster --version',
].join('\n');

export function helpText(catalog: Record<string, OperationInfo>): string {
  const names = Object.keys(catalog);
  const width = Math.max(...names.map((n) => n.length));
  const operations = names.map((name) => {
    const info = catalog[name]!;
    const node = info.node === 'required' ? ' (--node HOSTNAME)' : '';
    const force = (info.flags ?? []).includes('force') ? ' [--force]' : '';
    return `  ${name.padEnd(width)}  ${info.summary}${node}${force}`;
  });
  return [
    USAGE,
    '',
    'plan shows every step and its exact commands (secrets masked) and runs nothing; run runs the operation,',
    'skipping what is already done. Transcripts go to .gateway-cluster/runs/ beside the SPEC.',
    '',
    'OPERATION:',
    ...operations,
    '',
    'Secrets come from --secrets-file FILE or $GATEWAY_CLUSTER_SECRETS_FILE: a YAML or JSON map from the',
    'names the spec gives them to their values, readable by its owner only (chmod 600). The sudo password',
    'has no name in the spec: give it as "@sudo-password" (else the SSH password is used). On a terminal a',
    'missing secret is asked for.',
    '',
    'adopt writes the cluster.yaml of a cluster built by hand (discovered from one node over SSH); it never',
    'overwrites --out. Its SSH password, if keys are not what the VMs take, is "@ssh-password" in the secrets file.',
    '',
    'reset, delete, deregister and drill ask before they start: --yes answers that (else a terminal, else exit 2).',
    'A confirmation asked while the operation runs (--force on a node that is gone for good, the new host key',
    "of a replaced VM) is typed on a terminal, or given ahead with --confirm: the node's name, the new key's",
    'SHA256 fingerprint. Without either it is refused, and the run says how to give it.',
    '',
    'Exit status: 0 succeeded (or already done), 1 a step failed (validate: the spec has errors), 2 usage,',
    'invalid spec, missing secret or confirmation, 3 host key unknown or changed, 4 another operation holds',
    "the cluster's lock, 130 cancelled (SIGINT, SIGTERM).",
  ].join('\n');
}
