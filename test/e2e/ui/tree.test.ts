// The Clusters tree as a user meets it in the browser, against a live 3-node lab: open the container,
// Connect (answering the host-key dialog), expand a cluster and a node, see its pods, follow a pod's log and
// type `hostname` into a node's SSH terminal. Saves the README's screenshot. The lab is this suite's own
// (name and /24 apart from the host suite's and the demo's) and goes down after it.
import assert from 'node:assert/strict';
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

const LAB = { name: 'gclabui', subnetPrefix: '10.250.12' } as const;
const CLUSTER = 'lab-gateways';

describe('the Clusters tree in the browser, against a live lab cluster', function () {
  this.timeout(300_000);
  const suiteLab = useSuiteLab(LAB.name, { nodes: 3, state: 'joined', subnetPrefix: LAB.subnetPrefix });
  const { lab } = suiteLab;

  before(() => useReadableTerminals());

  it('connects after the host-key dialog, and expanding a node shows its pods', async () => {
    const cluster = await openClustersView(CLUSTER);
    await waitForDescription(cluster, /^not connected · HA$/);

    await inlineAction(cluster, 'Connect');
    const node1 = suiteLab.info.nodes[0]!;
    await trustHostKey(node1.address, node1.hostKeyFingerprint);
    await waitForDescription(cluster, /(^|· )3\/3 Ready · HA$/);

    // The cluster opens expanded; collapse and expand it as a user would.
    assert.equal(await cluster.getAttribute('aria-expanded'), 'true');
    await cluster.click();
    await treeRow('gw-1').waitFor({ state: 'hidden', timeout: 30_000 });
    await cluster.click();
    const gw1 = treeRow('gw-1');
    await gw1.waitFor({ timeout: 30_000 });
    await waitForDescription(gw1, /^Ready · .*10\.250\.12\.11/);

    await gw1.click();
    const expected = (await lab.snapshot()).pods.filter((p) => p.nodeName === 'gw-1').map((p) => p.name);
    for (const name of expected) await treeRow(name).waitFor({ timeout: 30_000 });
    await waitForDescription(gw1, new RegExp(` · ${expected.length} pods$`));
  });

  it('follows a pod’s log in an output view', async () => {
    const { page, screenshot } = ui();
    const pod = (await lab.snapshot()).pods.find((p) => p.nodeName === 'gw-1' && /^sample-web-/.test(p.name));
    assert.ok(pod);
    await inlineAction(treeRow(pod.name), 'Show Logs');
    // The log's options: Enter takes the defaults (follow, the last 200 lines).
    await page.locator('.quick-input-widget').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    const output = page.locator('.part.panel .view-lines', { hasText: `${pod.name} handled request` });
    await output.first().waitFor({ timeout: 60_000 });
    // Following: request numbers beyond the first 20 lines arrive while we watch (the editor renders
    // spaces as no-break spaces, hence \s).
    await page
      .locator('.part.panel .view-lines', { hasText: /handled\srequest\s(2[1-9]|[3-9]\d|\d{3,})\sok/ })
      .first()
      .waitFor({ timeout: 30_000 });
    // A calm picture for the README: the live tree, wide enough for the descriptions, and the log below.
    // Drag the sash between the side bar and the editor (at the side bar's right edge).
    await widenSideBar(560);
    await page.mouse.move(900, 150);
    await page.waitForTimeout(500);
    const shot = await screenshot('tree-live');
    publishScreenshot(shot, 'screenshot-tree.png');
  });

  it('opens a node’s SSH terminal, trusting its host key, and runs `hostname`', async () => {
    const { page } = ui();
    const node2 = suiteLab.info.nodes[1]!;
    await inlineAction(treeRow('gw-2'), 'Open SSH Terminal');
    await trustHostKey(node2.address, node2.hostKeyFingerprint);
    const terminal = page.locator('.part.panel .terminal-wrapper.active .xterm-rows');
    await terminal.waitFor({ timeout: 60_000 });
    // The login prompt first, then the command and its answer: the node's own hostname.
    await page.locator('.part.panel .xterm-rows', { hasText: '$' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.part.panel .xterm').first().click();
    await page.keyboard.type('hostname\n');
    const answer = page.locator('.part.panel .xterm-rows div', { hasText: /^gw-2\s*$/ });
    await answer.first().waitFor({ timeout: 30_000 });
    assert.equal((await answer.first().innerText()).trim(), node2.specHostname);
  });
});
