import assert from 'node:assert/strict';
import { isNotReady, mergeNodes } from '../../../src/tree/core';
import { apiNode, specNodes } from './fixtures';

describe('tree model: mergeNodes', () => {
  it('marks every spec node unknown while not connected', () => {
    const merged = mergeNodes(specNodes(3), undefined);
    assert.deepEqual(
      merged.map((n) => [n.name, n.status, n.address]),
      [
        ['gw-1', 'unknown', '10.250.0.11'],
        ['gw-2', 'unknown', '10.250.0.12'],
        ['gw-3', 'unknown', '10.250.0.13'],
      ],
    );
  });

  it('joins spec and API nodes by hostname: ready, NotReady, cordoned, not joined', () => {
    const merged = mergeNodes(specNodes(3), [
      apiNode('gw-2', '10.250.0.12', { ready: false }),
      apiNode('gw-1', '10.250.0.11', { unschedulable: true }),
    ]);
    assert.deepEqual(
      merged.map((n) => [n.name, n.status, n.cordoned, n.mismatches.length]),
      [
        ['gw-1', 'ready', true, 0],
        ['gw-2', 'notReady', false, 0],
        ['gw-3', 'notJoined', false, 0],
      ],
    );
    assert.equal(merged.filter(isNotReady).length, 1);
  });

  it('lists API nodes the spec lacks after the spec nodes, sorted', () => {
    const merged = mergeNodes(specNodes(1), [
      apiNode('gw-1', '10.250.0.11'),
      apiNode('zeta', '10.250.0.99'),
      apiNode('alpha', '10.250.0.98', { ready: false }),
    ]);
    assert.deepEqual(
      merged.map((n) => [n.name, n.status]),
      [
        ['gw-1', 'ready'],
        ['alpha', 'notInSpec'],
        ['zeta', 'notInSpec'],
      ],
    );
    assert.match(merged[1]!.mismatches[0]!, /not in the spec/);
    assert.equal(merged.filter(isNotReady).length, 1);
  });

  it('warns when the address differs', () => {
    const [node] = mergeNodes(specNodes(1), [apiNode('gw-1', '10.250.0.50')]);
    assert.equal(node!.status, 'ready');
    assert.match(
      node!.mismatches[0]!,
      /Address differs: the spec says 10\.250\.0\.11, the cluster reports 10\.250\.0\.50/,
    );
  });

  it('shows a VM that still carries its OVA name under the spec node whose address it has', () => {
    const merged = mergeNodes(specNodes(2), [
      apiNode('gw-1', '10.250.0.11'),
      apiNode('ubuntu-ova', '10.250.0.12'),
    ]);
    assert.deepEqual(
      merged.map((n) => [n.name, n.status, n.api?.name]),
      [
        ['gw-1', 'ready', 'gw-1'],
        ['gw-2', 'notRenamed', 'ubuntu-ova'],
      ],
    );
    assert.match(merged[1]!.mismatches[0]!, /still named "ubuntu-ova" \(Join nodes renames it to "gw-2"\)/);
  });
});
