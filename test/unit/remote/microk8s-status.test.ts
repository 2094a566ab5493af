import assert from 'node:assert/strict';
import { parseMicrok8sStatus } from '../../../src/remote/microk8s-status';

describe('remote/microk8s-status', () => {
  it('parses a running HA node with add-ons', () => {
    const text = [
      'microk8s is running',
      'high-availability: yes',
      '  datastore master nodes: 10.0.0.11:19001 10.0.0.12:19001 10.0.0.13:19001',
      '  datastore standby nodes: none',
      'addons:',
      '  enabled:',
      '    dns                  # (core) CoreDNS',
      '    metallb              # (core) Loadbalancer for your Kubernetes cluster',
      '  disabled:',
      '    helm3                # (core) Helm 3 - Kubernetes package manager',
      '',
    ].join('\n');
    assert.deepEqual(parseMicrok8sStatus(text), {
      running: true,
      highAvailability: true,
      datastoreMasters: ['10.0.0.11:19001', '10.0.0.12:19001', '10.0.0.13:19001'],
      datastoreStandbys: [],
      enabled: ['dns', 'metallb'],
      disabled: ['helm3'],
    });
  });

  it('reports a stopped node', () => {
    const status = parseMicrok8sStatus(
      'microk8s is not running. Use microk8s inspect for a deeper inspection.\n',
    );
    assert.equal(status.running, false);
    assert.equal(status.highAvailability, undefined);
  });
});
