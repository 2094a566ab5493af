// The operator's tools as a user meets them in the browser, against a deployed lab of the suite's own:
// the cluster's Events after a pod is deleted, a shell in a container (exec), and a port-forward to the
// Gateway Manager's Service listed under Port Forwards. Saves the README's screenshots of each.
import assert from 'node:assert/strict';
import * as https from 'node:https';
import { ui, useSuiteLab, publishScreenshot } from './fixture';
import {
  inlineAction,
  openClustersView,
  treeRow,
  trustHostKey,
  useReadableTerminals,
  waitForDescription,
  widenSideBar,
} from './tree-helpers';

const LAB = { name: 'gclabvu', subnetPrefix: '10.250.46' } as const;
const CLUSTER = 'lab-gateways';

function getHttps(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: '/', rejectUnauthorized: false, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** Widens the side bar so the descriptions read, then takes the picture for the README. */
async function saveShot(name: string, file: string): Promise<void> {
  const { page, screenshot } = ui();
  await widenSideBar(600);
  await page.mouse.move(1200, 700);
  await page.waitForTimeout(500);
  publishScreenshot(await screenshot(name), file);
}

describe('the operator’s tools in the browser: events, exec, port-forward', function () {
  this.timeout(300_000);
  // Kubernetes' node timings at 1/100: a stopped node is NotReady after about 0.5 s.
  const suiteLab = useSuiteLab(LAB.name, {
    nodes: 3,
    state: 'deployed',
    subnetPrefix: LAB.subnetPrefix,
    timeScale: 0.01,
  });
  const { lab } = suiteLab;

  before(() => useReadableTerminals());

  it('connects and shows the cluster’s events, a deleted pod’s first', async () => {
    const cluster = await openClustersView(CLUSTER);
    await inlineAction(cluster, 'Connect');
    const node1 = suiteLab.info.nodes[0]!;
    await trustHostKey(node1.address, node1.hostKeyFingerprint);
    await waitForDescription(cluster, /(^|· )3\/3 Ready · HA/);
    const victim = (await lab.snapshot()).pods.find((p) => p.name.startsWith('sample-web-'));
    assert.ok(victim);
    await lab.deletePod(victim.namespace, victim.name);
    await treeRow('Events').click();
    await treeRow(`Killing · pod/${victim.name}`).waitFor({ timeout: 60_000 });
    // A node whose MicroK8s stops: the node controller's warning comes first, and the cluster shows a badge.
    await lab.inject({ kind: 'stopMicrok8s', node: 3 });
    try {
      await ui()
        .page.locator('.part.sidebar .monaco-list-row', { hasText: /^NodeNotReady · node\/gw-3/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await waitForDescription(cluster, /⚠ \d+$/);
      await saveShot('events', 'screenshot-events.png');
    } finally {
      await lab.inject({ kind: 'startMicrok8s', node: 3 });
    }
    await waitForDescription(cluster, /(^|· )3\/3 Ready · HA/);
    await treeRow('Events').click();
  });

  it('opens a shell in a pod’s container and runs a command there', async () => {
    const { page } = ui();
    const pod = (await lab.snapshot()).pods.find(
      (p) => p.nodeName === 'gw-1' && p.name.startsWith('sample-web-'),
    );
    assert.ok(pod);
    await treeRow('gw-1').click();
    await inlineAction(treeRow(pod.name), 'Open Shell');
    await page.locator('.part.panel .terminal-wrapper.active .xterm-rows').waitFor({ timeout: 60_000 });
    await page.locator('.part.panel .xterm-rows', { hasText: '$' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.part.panel .xterm').first().click();
    await page.keyboard.type('echo "in $HOSTNAME"\n');
    const answer = page.locator('.part.panel .xterm-rows div', {
      hasText: new RegExp(`^in ${pod.name}\\s*$`),
    });
    await answer.first().waitFor({ timeout: 30_000 });
    await saveShot('exec', 'screenshot-exec.png');
    await page.keyboard.type('exit\n');
    await treeRow('gw-1').click();
  });

  it('forwards a local port to the Gateway Manager’s Service and lists it with its address', async () => {
    await treeRow('Services').click();
    const service = treeRow('gateway-manager');
    await service.waitFor({ timeout: 60_000 });
    await inlineAction(service, 'Port Forward');
    const forwards = treeRow('Port Forwards');
    await forwards.waitFor({ timeout: 60_000 });
    const row = ui()
      .page.locator('.part.sidebar .monaco-list-row', { hasText: /^127\.0\.0\.1:\d+/ })
      .first();
    await row.waitFor({ timeout: 30_000 });
    const label = (await row.locator('.label-name').innerText()).trim();
    const port = Number(/:(\d+)$/.exec(label)?.[1]);
    assert.ok(port > 0, label);
    assert.match(await getHttps(port), /Gateway Manager/);
    await saveShot('port-forward', 'screenshot-port-forward.png');
    await inlineAction(row, 'Stop Port Forward');
    await forwards.waitFor({ state: 'hidden', timeout: 30_000 });
    await assert.rejects(getHttps(port));
  });
});
