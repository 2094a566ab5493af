// The operations engine against the lab: preflight on fresh nodes, then a join to an HA cluster over real
// SSH and the lab's Kubernetes API.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLab, LAB_USER } from '../../lab/index';
import type { LabInfo } from '../../lab/index';
import { KnownHostsStore } from '../../../src/remote/known-hosts';
import { Masker } from '../../../src/remote/masker';
import { SshPool } from '../../../src/remote/pool';
import { MemoryTranscriptSink, OperationsEngine, PREFLIGHT_REPORT } from '../../../src/ops';
import type { PreflightReport, RunEvent } from '../../../src/ops';
import { SshNodeRunner } from '../../../src/ops/adapters/ssh-runner';
import { kubeConnector } from '../../../src/ops/adapters/kube-cluster';
import type { ClusterModel } from '../../../src/spec/types';

function modelOf(info: LabInfo): ClusterModel {
  const ssh = { user: LAB_USER, port: 22, identityFile: info.clientKeyPath };
  return {
    apiVersion: 'gateway-cluster/v1',
    name: 'gclabops',
    topology: info.nodes.length >= 3 ? 'ha' : 'single-node',
    ssh,
    nodes: info.nodes.map((n, i) => ({ index: i, hostname: n.specHostname, address: n.address, ssh })),
    network: {
      subnet: info.subnet,
      floatingIp: info.floatingIp,
      metallbRange: `${info.floatingIp}/32`,
      nameservers: [],
      ntpServers: [],
      podCidr: '10.1.0.0/16',
      serviceCidr: '10.152.183.0/24',
    },
    storage: { nfs: { server: info.hostAddress, path: '/shared/gateway-cluster-1' } },
    charts: {
      repository: 'oci://us-docker.pkg.dev/opsramp-registry/gateway-cluster-charts',
      version: '0.9.6',
    },
    gatewayManager: { passwordSecret: 'gm-password', port: 5480 },
  };
}

describe('ops against the lab: preflight and join', function () {
  this.timeout(120_000);
  const lab = createLab('gclabops');
  let info: LabInfo;
  let tmp: string;
  let pool: SshPool;
  let secrets: Map<string, string>;
  let engine: OperationsEngine;
  let events: RunEvent[];

  before(async function () {
    this.timeout(120_000);
    info = await lab.up({ nodes: 3, state: 'fresh', subnetPrefix: '10.250.2' });
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gc-lab-ops-'));
    secrets = new Map();
    const masker = new Masker();
    pool = new SshPool({
      knownHosts: new KnownHostsStore({
        userFile: info.knownHostsPath,
        ownFile: path.join(tmp, 'own_known_hosts'),
      }),
      prompts: { confirmHostKey: async () => false },
      secrets: { get: async (key) => secrets.get(key) },
      masker,
      agentSocket: null,
      homeDir: tmp,
    });
    events = [];
    engine = new OperationsEngine({
      nodes: new SshNodeRunner(pool),
      secrets: { get: async (k) => secrets.get(k), store: async (k, v) => void secrets.set(k, v) },
      connector: kubeConnector,
      masker,
      sink: new MemoryTranscriptSink(),
      onEvent: (e) => events.push(e),
      timeouts: { command: 20_000, long: 60_000, wait: 60_000 },
    });
  });

  after(async () => {
    await pool?.dispose();
    await lab.down();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('preflight on fresh nodes finds the wrong hostnames and the missing /etc/hosts lines', async () => {
    const model = modelOf(info);
    const r = await engine.run(engine.preflight(model));
    assert.equal(r.outcome, 'failed');
    const report = r.shared.get(PREFLIGHT_REPORT) as PreflightReport;
    assert.equal(report.nodes.filter((n) => n.reachable).length, 3);
    const kinds = new Set(report.findings.flatMap((f) => (f.fix ? [`${f.node}:${f.fix.kind}`] : [])));
    for (const n of model.nodes) {
      assert.ok(kinds.has(`${n.hostname}:setHostname`), `rename offered for ${n.hostname}`);
      assert.ok(kinds.has(`${n.hostname}:appendHosts`), `/etc/hosts fix offered for ${n.hostname}`);
    }
    assert.match(r.error!.message, /to \/etc\/hosts on gw-/);
  });

  it('join takes them to an HA cluster, and a re-run is all "already done"', async () => {
    const model = modelOf(info);
    const r = await engine.run(engine.join(model, { applyFixes: true }));
    assert.equal(r.outcome, 'succeeded', r.error?.message);
    const snapshot = await lab.snapshot();
    assert.deepEqual(
      snapshot.nodes
        .filter((n) => n.ready)
        .map((n) => n.name)
        .sort(),
      ['gw-1', 'gw-2', 'gw-3'],
    );
    const again = await engine.run(engine.join(model));
    assert.equal(again.outcome, 'succeeded', again.error?.message);
    const states = Object.fromEntries(again.transcript.steps.map((s) => [s.id, s.state]));
    assert.equal(states.rename, 'skipped');
    assert.equal(states.join, 'skipped');
    assert.ok(!again.transcript.commands.some((c) => /add-node|microk8s join/.test(c.command)));
    const text = JSON.stringify(events) + JSON.stringify(r.transcript);
    const kubeconfig = secrets.get('gatewayCluster.kubeconfig.gclabops') ?? '';
    const key = /client-key-data:\s*(\S+)/.exec(kubeconfig)?.[1];
    assert.ok(key, 'kubeconfig stored with its key');
    assert.ok(!text.includes(key), 'client key leaked');
  });
});
