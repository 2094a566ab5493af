// The cluster's own objects and the operator's tools in a real extension host, against the host lab reset
// to `deployed` (the runner's lab, GC_E2E_LAB; back to `joined` after): sections with their rows, events
// live, Describe in kubectl's format, logs with options, a shell (and its sh fallback), port-forwards,
// Open Gateway Manager's offer, restart and scale, trust and confirmation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as http from 'node:http';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TestingHooks } from '../seams/test-features';
import { createLab, type LabApi, type LabInfo } from '../../lab/index';

/** The cluster's registry key (spec file and document): another suite's spec may name the same cluster. */
let CLUSTER = '';

interface SectionSnapshot {
  section: string;
  label: string;
  description: string;
  rows: Array<{ label: string; description: string; tooltip: string; contextValue: string }>;
}
interface SectionsReply {
  sections: SectionSnapshot[];
  running: number;
  clusterDescription: string;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sections = (request: Record<string, unknown> = {}) =>
  vscode.commands.executeCommand('gatewayCluster.test.sections', {
    cluster: CLUSTER,
    ...request,
  }) as Promise<SectionsReply>;

/** The section's rows once its first list has arrived. */
async function rowsOf(section: string, request: Record<string, unknown> = {}) {
  return waitFor(`the ${section} section`, async () => {
    const found = (await sections(request)).sections.find((s) => s.section === section);
    return found && !found.rows.some((r) => r.label === 'Loading…') ? found : undefined;
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

async function documentText(uri: string, contains: RegExp): Promise<string> {
  return waitFor(`the document ${uri}`, async () => {
    const text = (await vscode.commands.executeCommand('gatewayCluster.test.documentText', uri)) as
      string | undefined;
    return text && contains.test(text) ? text : undefined;
  });
}

describe('The cluster’s objects and the operator’s tools (lab)', function () {
  this.timeout(120_000);
  let lab: LabApi;
  let info: LabInfo;
  let specPath = '';
  let testing: TestingHooks | undefined;

  before(async function () {
    this.timeout(180_000);
    const name = process.env.GC_E2E_LAB;
    assert.ok(
      name,
      `the runner brings up the lab: ${process.env.GC_E2E_LAB_ERROR ?? 'GC_E2E_LAB is not set'}`,
    );
    lab = createLab(name);
    info = (await lab.info())!;
    assert.ok(info, `lab ${name} is up`);
    await lab.reset('deployed');
    const extension = vscode.extensions.getExtension<{ testing?: TestingHooks } | undefined>(
      'gateway-clusters.gateway-cluster',
    );
    testing = (await extension!.activate())?.testing;
    testing!.prompts.testAnswer = (q) =>
      info.nodes.some((n) => n.address === q.address && n.hostKeyFingerprint === q.fingerprint);
    const folder = vscode.workspace.workspaceFolders![0]!;
    specPath = path.join(folder.uri.fsPath, 'lab-views.cluster.yaml');
    fs.writeFileSync(specPath, info.specYaml);
    CLUSTER = `${vscode.Uri.file(specPath).toString()}#0`;
    await vscode.commands.executeCommand('gatewayCluster.clusters.focus');
    await waitFor('the lab cluster', async () => ((await sections()) ? true : undefined));
    assert.equal(await vscode.commands.executeCommand('gatewayCluster.cluster.connect', CLUSTER), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('gatewayCluster.pod.stopLogs');
    await vscode.commands.executeCommand('gatewayCluster.cluster.disconnect', CLUSTER);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.terminal.killAll');
    if (testing) testing.prompts.testAnswer = undefined;
    fs.rmSync(specPath, { force: true });
    await lab.reset('joined');
  });

  const podOf = async (prefix: string) => {
    const pod = (await lab.snapshot()).pods.find((p) => p.name.startsWith(prefix) && p.phase === 'Running');
    assert.ok(pod, `a running ${prefix} pod`);
    return pod;
  };

  it('lists Events, Services, Helm Releases, Registration and Storage under the connected cluster', async () => {
    const reply = await waitFor('the sections', async () => {
      const r = await sections();
      return r.sections.length >= 5 ? r : undefined;
    });
    assert.deepEqual(
      reply.sections.map((s) => s.label),
      ['Events', 'Services', 'Helm Releases', 'Registration', 'Storage'],
    );
    const services = await rowsOf('services');
    const manager = services.rows.find((r) => r.label === 'gateway-manager');
    assert.ok(manager, services.rows.map((r) => r.label).join());
    assert.equal(
      manager.description,
      `default · LoadBalancer · ${manager.description.split(' · ')[2]} · ${info.floatingIp} · 5480:31480/TCP`,
    );
    const releases = await rowsOf('releases');
    assert.deepEqual(
      releases.rows.map((r) => [r.label, r.description.replace(/ · \d+[smhd]$/, '')]),
      [
        ['gateway-manager', 'gateway-manager-0.9.6 · rev 1 · deployed'],
        ['gateway-persistent-storage', 'gateway-persistent-storage-0.9.6 · rev 1 · deployed'],
      ],
    );
    const managerRelease = releases.rows[0]!;
    assert.match(managerRelease.tooltip, /secrets\.defaultPassword: ••••••/);
    assert.doesNotMatch(JSON.stringify(releases), /lab-stand-in-/);
    assert.match(releases.rows[1]!.tooltip, /nfs\.server: 10\.250\.5\.1/);
    assert.match(releases.rows[1]!.tooltip, /as the spec says/);
    const registration = await rowsOf('registration');
    assert.equal(registration.rows[0]!.label, 'not registered');
    const storage = await rowsOf('storage');
    assert.deepEqual(
      storage.rows.map((r) => [r.label, r.description]),
      [
        ['NFS export', '10.250.5.1:/srv/gateway-cluster'],
        ['data-gateway-manager-redis-0', 'default · Bound · 1Gi · nfs-client · RWO'],
      ],
    );
    // Collapsed sections stop their watches.
    assert.equal((await sections({ collapse: true })).running, 0);
  });

  it('shows events live, and a warning of the last hour as the cluster’s badge', async () => {
    const victim = await podOf('sample-web-');
    await lab.deletePod(victim.namespace, victim.name);
    const events = await waitFor('the Killing event', async () => {
      const section = (await sections()).sections.find((s) => s.section === 'events');
      return section?.rows.some((r) => r.label === `Killing · pod/${victim.name}`) ? section : undefined;
    });
    const killing = events.rows.find((r) => r.label === `Killing · pod/${victim.name}`)!;
    assert.match(killing.description, /^\d+s · Stopping container web$/);
    assert.equal(killing.contextValue, 'event');
    // A node that stops turns NotReady: the node controller's warning, first in the list, and the badge.
    await lab.inject({ kind: 'stopMicrok8s', node: 3 });
    try {
      const reply = await waitFor('a warning', async () => {
        const r = await sections();
        const list = r.sections.find((s) => s.section === 'events');
        return list?.rows[0]?.label.startsWith('NodeNotReady') && /⚠ \d/.test(r.clusterDescription)
          ? r
          : undefined;
      });
      const list = reply.sections.find((s) => s.section === 'events')!;
      assert.match(list.description, /^\d+ warnings? in the last hour$/);
      const nodeEvents = await waitFor('gw-3’s own events', async () => {
        const r = await sections({ node: 'gw-3' });
        const rows = r.sections[0]?.rows ?? [];
        return rows.some((row) => row.label === 'NodeNotReady') ? rows : undefined;
      });
      assert.ok(
        nodeEvents.every((r) => !r.label.includes('pod/')),
        'only the node’s events',
      );
    } finally {
      await lab.inject({ kind: 'startMicrok8s', node: 3 });
    }
  });

  it('describes a pod and a node in kubectl’s format, live', async () => {
    const pod = await podOf('sample-web-');
    const uri = (await vscode.commands.executeCommand('gatewayCluster.pod.describe', {
      cluster: CLUSTER,
      namespace: pod.namespace,
      name: pod.name,
    })) as string;
    const text = await documentText(uri, /Events:/);
    assert.match(text, new RegExp(`^Name:\\s+${pod.name}$`, 'm'));
    assert.match(text, /^Controlled By:\s+ReplicaSet\/sample-web-/m);
    assert.match(text, /^Containers:\n {2}web:\n {4}Container ID:\s+containerd:\/\//m);
    assert.match(text, /^ {4}Restart Count:\s+0$/m);
    assert.match(text, /^Conditions:\n {2}Type\s+Status$/m);
    const nodeUri = (await vscode.commands.executeCommand('gatewayCluster.node.describe', {
      cluster: CLUSTER,
      node: 'gw-2',
    })) as string;
    const node = await documentText(nodeUri, /Allocated resources:/);
    assert.match(node, /^Name:\s+gw-2$/m);
    assert.match(node, /^Addresses:\n {2}InternalIP:\s+10\.250\.5\.12$/m);
    assert.match(node, /^Capacity:\n {2}cpu:/m);
    assert.match(node, /^Non-terminated Pods:\s+\(\d+ in total\)$/m);
    // Live: cordoning the node shows in its open Describe.
    await vscode.commands.executeCommand('gatewayCluster.node.cordon', { cluster: CLUSTER, node: 'gw-2' });
    try {
      await documentText(nodeUri, /^Unschedulable:\s+true$/m);
    } finally {
      await vscode.commands.executeCommand('gatewayCluster.node.uncordon', {
        cluster: CLUSTER,
        node: 'gw-2',
      });
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a log with timestamps, the tail asked for and without following', async () => {
    const pod = await podOf('sample-web-');
    const key = (await vscode.commands.executeCommand(
      'gatewayCluster.pod.showLogs',
      { cluster: CLUSTER, namespace: pod.namespace, name: pod.name },
      { container: 'web', tailLines: 5, timestamps: true, follow: false },
    )) as string;
    assert.match(key, /\[web\] \(timestamps\)$/);
    const lines = await waitFor('the log', async () => {
      const snap = (await vscode.commands.executeCommand('gatewayCluster.test.snapshot')) as {
        logs: Record<string, string[]>;
      };
      const l = snap.logs[key];
      return l && l.length >= 5 ? l : undefined;
    });
    assert.equal(lines.length, 5);
    for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\dT[\d:.]+Z \S+ INFO \[web\]/);
  });

  it('opens a shell in a container, and sh where the image has no bash', async () => {
    const web = await podOf('sample-web-');
    const opened = (await vscode.commands.executeCommand(
      'gatewayCluster.pod.openShell',
      { cluster: CLUSTER, namespace: web.namespace, name: web.name },
      { container: 'web' },
    )) as { terminal: vscode.Terminal; shell(): string };
    assert.equal(opened.terminal.name, `${web.name} [web]`);
    assert.equal(opened.shell(), 'bash');
    const worker = await podOf('sample-worker-');
    const fallback = (await vscode.commands.executeCommand(
      'gatewayCluster.pod.openShell',
      { cluster: CLUSTER, namespace: worker.namespace, name: worker.name },
      { container: 'worker' },
    )) as { terminal: vscode.Terminal; shell(): string };
    await waitFor('the sh fallback', async () => (fallback.shell() === 'sh' ? true : undefined));
    opened.terminal.dispose();
    fallback.terminal.dispose();
  });

  it('forwards a port to a pod and to a service, lists them with their address, and stops them', async () => {
    const web = await podOf('sample-web-');
    const forward = (await vscode.commands.executeCommand(
      'gatewayCluster.pod.portForward',
      { cluster: CLUSTER, namespace: web.namespace, name: web.name },
      { port: 80 },
    )) as { localAddress: string; localPort: number };
    assert.equal(forward.localAddress, '127.0.0.1');
    assert.match(await get(`http://127.0.0.1:${forward.localPort}/`), /Welcome to nginx/);
    const listed = await rowsOf('forwards');
    assert.deepEqual(
      listed.rows.map((r) => [r.label, r.description, r.contextValue]),
      [[`127.0.0.1:${forward.localPort}`, `→ pod default/${web.name}:80`, 'portForward']],
    );
    await rowsOf('services');
    const viaService = (await sections({
      row: {
        section: 'services',
        contains: 'gateway-manager',
        command: 'gatewayCluster.service.portForward',
        args: { port: 5480 },
      },
    })) as unknown as { result: { localPort: number; target: string } };
    assert.equal(viaService.result.target, 'service default/gateway-manager');
    const stop = await sections({
      row: {
        section: 'forwards',
        contains: `:${forward.localPort}`,
        command: 'gatewayCluster.portForward.stop',
      },
    });
    assert.deepEqual(stop, { result: true });
    await assert.rejects(get(`http://127.0.0.1:${forward.localPort}/`));
    const rows = (await rowsOf('forwards')).rows;
    assert.deepEqual(
      rows.map((r) => r.description),
      ['→ service default/gateway-manager:5480'],
    );
    await sections({
      row: { section: 'forwards', contains: '127.0.0.1', command: 'gatewayCluster.portForward.stop' },
    });
  });

  it('offers a port-forward when the Gateway Manager’s floating IP does not answer', async () => {
    // The lab answers at the floating IP; this machine is put outside the gateway's network.
    await lab.inject({ kind: 'floatingIpUnreachable', unreachable: true });
    let uri: string;
    try {
      uri = (await vscode.commands.executeCommand('gatewayCluster.cluster.openGatewayManager', CLUSTER, {
        forward: true,
        probeMs: 300,
      })) as string;
    } finally {
      await lab.inject({ kind: 'floatingIpUnreachable', unreachable: false });
    }
    assert.match(uri, /^https:\/\/127\.0\.0\.1:\d+\/?$/);
    const rows = (await rowsOf('forwards')).rows;
    assert.deepEqual(
      rows.map((r) => r.description),
      ['→ service default/gateway-manager:5480'],
    );
    await sections({
      row: { section: 'forwards', contains: '127.0.0.1', command: 'gatewayCluster.portForward.stop' },
    });
  });

  it('restarts a Deployment (rollout followed) and scales it, each confirmed', async () => {
    const pod = await podOf('sample-web-');
    const before = new Set((await lab.snapshot()).pods.map((p) => p.name));
    const target = { cluster: CLUSTER, namespace: pod.namespace, name: pod.name };
    assert.equal(
      await vscode.commands.executeCommand('gatewayCluster.pod.restartWorkload', target, { confirmed: true }),
      true,
    );
    // Every sample-web pod is new once the old ones are gone.
    const next = await waitFor('only new sample-web pods', async () => {
      const pods = (await lab.snapshot()).pods.filter((p) => p.name.startsWith('sample-web-'));
      return pods.length > 0 && pods.every((p) => !before.has(p.name) && p.phase === 'Running')
        ? pods[0]
        : undefined;
    });
    assert.equal(
      await vscode.commands.executeCommand(
        'gatewayCluster.pod.scaleWorkload',
        { cluster: CLUSTER, namespace: next.namespace, name: next.name },
        { replicas: 2, confirmed: true },
      ),
      true,
    );
    await waitFor('two sample-web pods', async () => {
      const pods = (await lab.snapshot()).pods.filter(
        (p) => p.name.startsWith('sample-web-') && p.phase === 'Running',
      );
      return pods.length === 2 ? true : undefined;
    });
  });
});
