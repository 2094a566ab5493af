import assert from 'node:assert/strict';
import { drainConfirmation, filterPods, groupPods, podsToEvict } from '../../../src/tree/core';
import { pod } from './fixtures';

describe('tree model: grouping, filter and drain', () => {
  it('keeps few pods flat and sorted', () => {
    const children = groupPods([pod('b'), pod('a', { namespace: 'kube-system' }), pod('a')], 5);
    assert.equal(children.kind, 'flat');
    assert.deepEqual(children.kind === 'flat' ? children.pods.map((p) => `${p.namespace}/${p.name}`) : [], [
      'default/a',
      'default/b',
      'kube-system/a',
    ]);
  });

  it('groups many pods by namespace, but not when they share one namespace', () => {
    const many = [
      ...Array.from({ length: 4 }, (_, i) => pod(`app-${i}`)),
      ...Array.from({ length: 3 }, (_, i) => pod(`sys-${i}`, { namespace: 'kube-system' })),
    ];
    const grouped = groupPods(many, 5);
    assert.equal(grouped.kind, 'grouped');
    assert.deepEqual(
      grouped.kind === 'grouped' ? grouped.groups.map((g) => [g.namespace, g.pods.length]) : [],
      [
        ['default', 4],
        ['kube-system', 3],
      ],
    );
    assert.equal(groupPods(many.slice(0, 4), 2).kind, 'flat');
  });

  it('filters pods by name or namespace/name, case-insensitive', () => {
    const pods = [pod('gateway-manager-7d9'), pod('coredns-1', { namespace: 'kube-system' })];
    assert.deepEqual(
      filterPods(pods, 'MANAGER').map((p) => p.name),
      ['gateway-manager-7d9'],
    );
    assert.deepEqual(
      filterPods(pods, 'kube-system/').map((p) => p.name),
      ['coredns-1'],
    );
    assert.equal(filterPods(pods, '  ').length, 2);
    assert.equal(filterPods(pods, 'nothing').length, 0);
  });

  it('names the pods a drain moves, leaving DaemonSet and finished pods', () => {
    const pods = [
      pod('web-1'),
      pod('calico-node-x', { namespace: 'kube-system', ownerKind: 'DaemonSet' }),
      pod('job-done', { phase: 'Succeeded' }),
      pod('bare', { ownerKind: undefined }),
    ];
    assert.deepEqual(
      podsToEvict(pods).map((p) => p.name),
      ['web-1', 'bare'],
    );
    const text = drainConfirmation('gw-2', pods);
    assert.match(text, /^Drain gw-2\? .*these 2 pods move to other nodes: default\/web-1, default\/bare\./);
    assert.match(text, /1 of them have no controller/);
    assert.match(drainConfirmation('gw-2', []), /no pods need to move/);
    const long = drainConfirmation(
      'gw-1',
      Array.from({ length: 13 }, (_, i) => pod(`p${i}`)),
      10,
    );
    assert.match(long, /p9 and 3 more\.$/);
  });
});
