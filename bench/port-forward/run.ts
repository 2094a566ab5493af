/**
 * `npx tsx bench/port-forward/run.ts [requests]` (root; default 300): what a port-forward adds per request.
 * Against a deployed 3-node lab, HTTP requests to a sample-web pod's nginx on port 80, on one kept-alive
 * connection each way: direct to the node (the reference, in the same run) and through the product's
 * port-forward (127.0.0.1 → WebSocket to the API server → the pod's port). Alternates the two in rounds so
 * load on the machine hits both alike. Also the cost of a forwarded connection's setup. Asserts nothing.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { KubeClient, forwardPort } from '../../src/kube';
import { createLab } from '../../test/lab/index';
import { kubeconfigText } from '../../test/lab/kubeconfig';

const LAB = { name: 'gclabpf', subnetPrefix: '10.250.47' } as const;
const requests = Number(process.argv[2] ?? 300);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
};

function timedGet(agent: http.Agent, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    http
      .get({ host, port, path: '/bench', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t));
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const lab = createLab(LAB.name);
  const info = await lab.up({ nodes: 3, state: 'deployed', subnetPrefix: LAB.subnetPrefix });
  try {
    const b64 = (p: string) => readFileSync(p).toString('base64');
    const text = kubeconfigText(info.nodes[0]!.address, {
      caB64: b64(info.kube.caCertPath),
      clientCertB64: b64(info.kube.clientCertPath),
      clientKeyB64: b64(info.kube.clientKeyPath),
    });
    const client = await KubeClient.connect({
      endpoints: info.nodes.map((n) => ({ name: n.hostname, address: n.address })),
      kubeconfig: { read: async () => text, store: async () => undefined },
    });
    const pod = (await client.core.listNamespacedPod({ namespace: 'default' })).items.find(
      (p) => p.metadata?.name?.startsWith('sample-web-') && p.status?.phase === 'Running',
    )!;
    const node = info.nodes.find((n) => n.hostname === pod.spec!.nodeName)!;
    const forward = await forwardPort(client, { namespace: 'default', pod: pod.metadata!.name!, port: 80 });
    // Setup: a new TCP connection through the forward (one WebSocket each) against a new direct one.
    const setupDirect: number[] = [];
    const setupForward: number[] = [];
    for (let i = 0; i < 20; i++) {
      setupDirect.push(await timedGet(new http.Agent({ keepAlive: false }), node.address, 80));
      setupForward.push(await timedGet(new http.Agent({ keepAlive: false }), '127.0.0.1', forward.localPort));
    }
    const directAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const forwardAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Warm both connections.
    for (let i = 0; i < 20; i++) {
      await timedGet(directAgent, node.address, 80);
      await timedGet(forwardAgent, '127.0.0.1', forward.localPort);
    }
    const direct: number[] = [];
    const forwarded: number[] = [];
    for (let i = 0; i < requests; i++) {
      direct.push(await timedGet(directAgent, node.address, 80));
      forwarded.push(await timedGet(forwardAgent, '127.0.0.1', forward.localPort));
    }
    directAgent.destroy();
    forwardAgent.destroy();
    await forward.close();
    const ms = (v: number) => Math.round(v * 1000) / 1000;
    const result = {
      requests,
      directMs: { median: ms(quantile(direct, 0.5)), p95: ms(quantile(direct, 0.95)) },
      forwardedMs: { median: ms(quantile(forwarded, 0.5)), p95: ms(quantile(forwarded, 0.95)) },
      overheadPerRequestMs: {
        median: ms(quantile(forwarded, 0.5) - quantile(direct, 0.5)),
        p95: ms(quantile(forwarded, 0.95) - quantile(direct, 0.95)),
      },
      ratioMedian: Math.round((quantile(forwarded, 0.5) / quantile(direct, 0.5)) * 100) / 100,
      newConnectionMs: {
        direct: ms(quantile(setupDirect, 0.5)),
        forwarded: ms(quantile(setupForward, 0.5)),
      },
      goal: 'forwarded − direct < 5 ms per request',
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await lab.down();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
