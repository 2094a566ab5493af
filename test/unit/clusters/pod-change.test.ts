import assert from 'node:assert/strict';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { CacheChange } from '../../../src/kube/watch-cache';
import { podChangeOf } from '../../../src/clusters/live/live-cluster';

const pod = (name: string, namespace = 'default'): K8s.V1Pod => ({ metadata: { name, namespace } });
const change = (type: CacheChange<K8s.V1Pod>['type'], name: string): CacheChange<K8s.V1Pod> => ({
  type,
  object: pod(name),
});

describe('clusters: pod watch batches as the tree wants them', () => {
  it('sorts a batch into added, changed and removed keys', () => {
    assert.deepEqual(podChangeOf([change('add', 'a'), change('update', 'b'), change('delete', 'c')]), {
      added: ['default/a'],
      changed: ['default/b'],
      removed: ['default/c'],
    });
  });

  it('folds several events of one pod into the one that matters', () => {
    // Added then updated in one batch: still new to the tree.
    assert.deepEqual(podChangeOf([change('add', 'a'), change('update', 'a')]), {
      added: ['default/a'],
      changed: [],
      removed: [],
    });
    // Updated then deleted: gone.
    assert.deepEqual(podChangeOf([change('update', 'a'), change('delete', 'a')]), {
      added: [],
      changed: [],
      removed: ['default/a'],
    });
    // Deleted and re-created under the same name (a StatefulSet): a new element.
    assert.deepEqual(podChangeOf([change('delete', 'a'), change('add', 'a')]), {
      added: ['default/a'],
      changed: [],
      removed: [],
    });
  });

  it('keeps namespaces apart', () => {
    const batch: CacheChange<K8s.V1Pod>[] = [
      { type: 'add', object: pod('x', 'one') },
      { type: 'delete', object: pod('x', 'two') },
    ];
    assert.deepEqual(podChangeOf(batch), { added: ['one/x'], changed: [], removed: ['two/x'] });
  });
});
