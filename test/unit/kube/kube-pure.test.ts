import assert from 'node:assert/strict';
import { budgetRefusal, isEvictable } from '../../../src/kube/drain';
import { serverOf, withServer } from '../../../src/kube/kubeconfig';
import { kubeconfigWithUser } from './fixtures';

const KUBECONFIG = kubeconfigWithUser('    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n');

describe('kube/pure parts', () => {
  it('points the kubeconfig at a node address and keeps the rest', () => {
    const rewritten = withServer(KUBECONFIG, '10.0.0.12');
    assert.equal(serverOf(rewritten), 'https://10.0.0.12:16443');
    assert.match(rewritten, /client-key-data: S0VZ/);
    assert.equal(serverOf(withServer(KUBECONFIG, 'fd00::1', 6443)), 'https://[fd00::1]:6443');
    assert.throws(() => withServer('kind: Config\n', '10.0.0.1'), /no clusters/);
  });

  it('leaves DaemonSet, mirror and finished pods out of a drain', () => {
    assert.equal(isEvictable({ metadata: { name: 'a' }, status: { phase: 'Running' } }), true);
    assert.equal(
      isEvictable({
        metadata: { ownerReferences: [{ kind: 'DaemonSet', name: 'x', uid: 'u', apiVersion: 'apps/v1' }] },
      }),
      false,
    );
    assert.equal(isEvictable({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'h' } } }), false);
    assert.equal(isEvictable({ metadata: {}, status: { phase: 'Succeeded' } }), false);
  });
});

describe('kube: why a drain waits', () => {
  it("names the disruption budget that refused an eviction (the API's 429 Status), and nothing else", () => {
    const status = {
      kind: 'Status',
      code: 429,
      reason: 'TooManyRequests',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget gateway-manager needs 1 healthy pods and has 1 currently',
          },
        ],
      },
    };
    assert.equal(
      budgetRefusal({ code: 429, body: JSON.stringify(status) }),
      'The disruption budget gateway-manager needs 1 healthy pods and has 1 currently',
    );
    assert.equal(budgetRefusal({ code: 429, body: '{"message":"Too many requests"}' }), 'Too many requests');
    assert.equal(budgetRefusal({ code: 500, body: '{}' }), undefined);
    assert.equal(budgetRefusal(new Error('connection reset')), undefined);
  });
});
