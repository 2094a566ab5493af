// adopt without a lab: what the discovery makes of one node's answers, the cluster.yaml it writes (clean,
// secrets by key only; a node with no gateway cluster refused, a spec with errors never handed back), and the SSH password of a password login — named in the spec and, in the editor,
// kept where the adopted cluster's context reads it (else nothing could log in after adopt: Connect failed).
import assert from 'node:assert/strict';
import { adoptedSpecText, validateText } from '../../../src/cluster-spec';
import { checkedSpecText, keepAdoptPassword } from '../../../src/clusters/adopt';
import { clusterIdentity } from '../../../src/clusters/identity';
import { ClusterSecrets } from '../../../src/clusters/secrets';
import { AdoptRefusal, discoverCluster, type AdoptSources } from '../../../src/ops';
import type { ClusterApi, NodeCommand, NodeExecResult } from '../../../src/ops/ports';
import { memoryBackend } from './memory-secrets';

const ok = (stdout: string): NodeExecResult => ({ code: 0, stdout, stderr: '' });

const DEPLOYED = [
  { name: 'gateway-persistent-storage', chart: 'gateway-persistent-storage-0.9.6', status: 'deployed' },
  { name: 'gateway-manager', chart: 'gateway-manager-0.9.6', status: 'deployed' },
];

/** One node of a deployed 3-node cluster, answering as MicroK8s, helm and the API do. */
function sources(releases: object[] = DEPLOYED): AdoptSources {
  const answers: Record<string, string> = {
    'ip -o -4 addr show': '2: eth0    inet 10.9.0.11/24 brd 10.9.0.255 scope global eth0\n',
    'microk8s status': 'microk8s is running\nhigh-availability: yes\n',
    'microk8s helm3 list --namespace default --output json': JSON.stringify(releases),
    'microk8s helm3 get values gateway-persistent-storage --namespace default --output json': JSON.stringify({
      nfs: { server: '10.9.0.1', path: '/srv/gw' },
    }),
  };
  const api = {
    listNodes: async () =>
      [1, 2, 3].map((i) => ({ name: `gw-${i}`, ready: true, addresses: [`10.9.0.1${i}`, `gw-${i}`] })),
    metallbAddressRanges: async () => ['10.9.0.5/32'],
    getRaw: async () => ({
      spec: { ports: [{ port: 5480 }] },
      status: { loadBalancer: { ingress: [{ ip: '10.9.0.5' }] } },
    }),
    readConfigMap: async () => ({ name: 'gateway-registration-status', data: { state: 'connected' } }),
  } as unknown as ClusterApi;
  return {
    address: '10.9.0.11',
    api,
    exec: async (command: NodeCommand) => {
      const text = 'argv' in command ? command.argv.join(' ') : command.script;
      const answer = answers[text];
      if (answer === undefined) throw new Error(`unexpected command: ${text}`);
      return ok(answer);
    },
  };
}

describe('adopt', () => {
  it('writes a spec that validates clean, matches what it found, and names its secrets by key only', async () => {
    const cluster = await discoverCluster(sources(), { ssh: { user: 'gateway' } });
    const text = adoptedSpecText(cluster);
    const result = validateText(text, '/site/cluster.yaml', { offline: true });
    assert.deepEqual(
      result.findings.map((f) => `${f.code} ${f.message}`),
      [],
    );
    const model = result.documents[0]!.model!;
    assert.equal(model.name, 'gw-cluster');
    assert.equal(model.topology, 'ha');
    assert.deepEqual(
      model.nodes.map((n) => `${n.hostname} ${n.address}`),
      ['gw-1 10.9.0.11', 'gw-2 10.9.0.12', 'gw-3 10.9.0.13'],
    );
    assert.equal(model.network.subnet, '10.9.0.0/24');
    assert.equal(model.network.floatingIp, '10.9.0.5');
    assert.equal(model.network.metallbRange, '10.9.0.5/32');
    assert.deepEqual(model.storage.nfs, { server: '10.9.0.1', path: '/srv/gw' });
    assert.equal(model.charts.version, '0.9.6');
    assert.equal(model.gatewayManager.passwordSecret, 'gw-cluster-manager-password');
    assert.equal(model.registration?.activationTokenSecret, 'gw-cluster-activation-token');
    // Logged in with keys: no SSH password is named.
    assert.equal(model.ssh.passwordSecret, undefined);
  });

  it('names the SSH password of a password login in the spec, and the editor keeps it where the cluster reads it', async () => {
    const cluster = await discoverCluster(sources(), { ssh: { user: 'gateway' }, sshPassword: true });
    const text = adoptedSpecText(cluster);
    const result = validateText(text, '/site/cluster.yaml', { offline: true });
    assert.deepEqual(result.findings, []);
    const model = result.documents[0]!.model!;
    assert.equal(model.ssh.passwordSecret, 'gw-cluster-ssh-password');

    const password = 'typed at adopt $(id)';
    const backend = memoryBackend();
    await keepAdoptPassword(backend, '/site/cluster.yaml', cluster, password);
    assert.ok(!text.includes(password), 'never in the file');
    // What the cluster's context reads on Connect: its own scope, the name the spec gives.
    const scoped = new ClusterSecrets(backend, clusterIdentity('/site/cluster.yaml', model.name), {
      register: () => undefined,
    });
    assert.equal(await scoped.get(model.ssh.passwordSecret!), password);
    // Another spec file with the same name is another cluster: it reaches nothing.
    const other = new ClusterSecrets(backend, clusterIdentity('/elsewhere/cluster.yaml', model.name), {
      register: () => undefined,
    });
    assert.equal(await other.get(model.ssh.passwordSecret!), undefined);
  });

  it('refuses a node that runs no gateway cluster (no gateway release), saying to create a spec and build it', async () => {
    await assert.rejects(discoverCluster(sources([]), { ssh: {} }), (error: unknown) => {
      assert.ok(error instanceof AdoptRefusal);
      assert.match(
        error.message,
        /^10\.9\.0\.11 runs no gateway cluster: neither gateway-persistent-storage nor gateway-manager is installed/,
      );
      assert.match(error.hint, /create a cluster\.yaml \(Create cluster\.yaml.*\) and build it/);
      return true;
    });
  });

  it('never hands back a spec with errors: the refusal names the findings', () => {
    const cluster = {
      name: 'gw-cluster',
      nodes: [{ hostname: 'gw-1', address: '10.9.0.11', worker: false }],
      highAvailability: false,
      subnet: '10.9.0.0/24',
      metallbRanges: [],
      chartVersions: [],
      ssh: {},
      notes: [],
    };
    assert.throws(
      () => checkedSpecText(cluster, '/site/cluster.yaml', { offline: true }),
      (error: unknown) => {
        assert.ok(error instanceof AdoptRefusal);
        assert.match(error.message, /^The spec adopt would write does not validate: GC\d+ /);
        assert.match(error.hint, /^Nothing was written/);
        return true;
      },
    );
    const good = {
      ...cluster,
      floatingIp: '10.9.0.5',
      metallbRanges: ['10.9.0.5/32'],
      chartVersions: ['0.9.6'],
    };
    assert.match(checkedSpecText(good, '/site/cluster.yaml', { offline: true }), /floatingIp: 10\.9\.0\.5/);
  });

  it('keeps nothing when adopt logged in with keys', async () => {
    const cluster = await discoverCluster(sources(), { ssh: { user: 'gateway' } });
    const backend = memoryBackend();
    await keepAdoptPassword(backend, '/site/cluster.yaml', cluster, 'unused');
    assert.equal(backend.values.size, 0);
  });
});
