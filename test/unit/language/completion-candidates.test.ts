import assert from 'node:assert/strict';
import { completionCandidates } from '../../../src/language/core/completion-candidates';
import { requiredAtPath, type JsonSchema } from '../../../src/language/core/schema-walk';
import { cursorContext } from '../../../src/language/core/yaml-locate';
import { clusterSchema } from '../../../src/cluster-spec';
import { specWith } from './fixtures';

const schema = clusterSchema as JsonSchema;

const SPEC = specWith(
  '  topology: ', // 5
  '  nodes:', // 6
  '    - hostname: gw-1', // 7
  '      address: 10.0.0.11', // 8
  '    ', // 9
  '  network:', // 10
  '    subnet: 10.0.0.0/24', // 11
  '    ', // 12
  '  gatewayManager:', // 13
  '    passwordSecret: ', // 14
  '  ssh:', // 15
  '    port: 22', // 16
  '', // 17
);

function labelsAt(
  line: number,
  character: number,
  extra: { secretNames?: string[]; nextFreeHost?: string } = {},
) {
  const candidates = completionCandidates({
    schema,
    context: cursorContext(SPEC, line, character),
    secretNames: extra.secretNames ?? [],
    nextFreeAddress: '10.0.0.12',
    nextFreeHostname: 'gw-2',
    nextFreeHost: extra.nextFreeHost,
    lineIndent: 0,
  });
  return candidates;
}

describe('language: completion candidates from the schema', () => {
  it('offers the keys of network not yet present, with descriptions, required first', () => {
    const candidates = labelsAt(12, 4);
    const labels = candidates.map((c) => c.label);
    assert.ok(labels.includes('floatingIp'));
    assert.ok(labels.includes('dhcpRange'));
    assert.ok(!labels.includes('subnet'), 'subnet is already there');
    const floating = candidates.find((c) => c.label === 'floatingIp');
    assert.ok(floating?.documentation, 'descriptions are documentation');
    assert.equal(floating?.sortText?.startsWith('0'), true, 'required keys sort first');
    const pod = candidates.find((c) => c.label === 'podCidr');
    assert.equal(pod?.detail, 'default: 10.1.0.0/16');
  });

  it('offers the enum values of topology', () => {
    assert.deepEqual(
      labelsAt(5, 12)
        .map((c) => c.label)
        .sort(),
      ['ha', 'load-balanced', 'single-node'],
    );
  });

  it('offers the secret names for *Secret keys, and the default for a key that has one', () => {
    assert.deepEqual(
      labelsAt(14, 20, { secretNames: ['dc1-manager-password', 'other'] }).map((c) => c.label),
      ['dc1-manager-password', 'other'],
    );
    assert.ok(labelsAt(16, 10).some((c) => c.label === '22' && c.detail === 'default'));
  });

  it('offers a whole node with the next free hostname and address inside nodes', () => {
    const [node] = labelsAt(9, 4);
    assert.equal(node?.label, 'node');
    assert.equal(node?.snippet, true);
    assert.equal(node?.insertText, '- hostname: ${1:gw-2}\n      address: ${2:10.0.0.12}$0');
  });

  it('gives the new node a host of its own when the other nodes name theirs (no GC123)', () => {
    const [node] = labelsAt(9, 4, { nextFreeHost: 'esxi-3' });
    assert.equal(
      node?.insertText,
      '- hostname: ${1:gw-2}\n      address: ${2:10.0.0.12}\n      host: ${3:esxi-3}$0',
    );
    assert.equal(node?.detail, 'gw-2 at 10.0.0.12 on esxi-3');
  });

  it('inserts object keys with a new indented line and enum keys with a choice', () => {
    const spec = completionCandidates({
      schema,
      context: cursorContext('apiVersion: gateway-cluster/v1\nspec:\n  \n', 2, 2),
      secretNames: [],
      lineIndent: 2,
    });
    assert.equal(spec.find((c) => c.label === 'network')?.insertText, 'network:\n    $0');
    assert.equal(
      spec.find((c) => c.label === 'topology')?.insertText,
      'topology: ${1|ha,single-node,load-balanced|}',
    );
    assert.equal(spec.find((c) => c.label === 'nodes')?.insertText, 'nodes:\n    - $0');
  });
});

describe('language: completion follows the topology', () => {
  it('the MicroK8s topologies require network.floatingIp; load-balanced requires loadBalancer and gateway', () => {
    const root = clusterSchema as JsonSchema;
    const topology = (value: string | undefined) => (path: readonly (string | number)[]) =>
      path.join('.') === 'spec.topology' ? value : undefined;
    assert.ok(requiredAtPath(root, ['spec', 'network'], topology('ha')).includes('floatingIp'));
    assert.ok(!requiredAtPath(root, ['spec', 'network'], topology('load-balanced')).includes('floatingIp'));
    const lb = requiredAtPath(root, ['spec'], topology('load-balanced'));
    assert.ok(lb.includes('loadBalancer') && lb.includes('gateway') && !lb.includes('charts'), lb.join());
    assert.ok(requiredAtPath(root, ['spec'], topology('single-node')).includes('gatewayManager'));
    assert.deepEqual(requiredAtPath(root, ['spec', 'loadBalancer'], topology('load-balanced')).sort(), [
      'address',
      'frontends',
      'hostname',
    ]);
  });
});
