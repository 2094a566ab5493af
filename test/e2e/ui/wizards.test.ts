// The operator's first run as a user meets it in the browser, against three fresh VMs (the lab's `fresh`
// state, as they come from the OVA; sudo asks for the password), with no detour: Preflight from the spec's
// code lens (the sudo password typed into the panel, the host-key dialogs answered; what Join repairs is a
// warning), then each panel's "next" button — Join (a dry run first, then one Start to a highly available
// cluster), Deploy (cancelled while a step hangs on a node, resumed to the end), Register up to "connected"
// and the Gateway Manager link. The steps are read from inside the webview's iframe. Saves a screenshot of
// each wizard. The lab is this suite's own (name and /24 apart from the other suites' and the demo's).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  runCommand,
  ui,
  useSuiteLab,
  WORKBENCH_TIMEOUT,
  publishScreenshot,
  answerHostKeys,
  wizardFrame,
} from './fixture';

const LAB = { name: 'gclabwiz', subnetPrefix: '10.250.7' } as const;
const FILE = 'cluster.yaml';
const MANAGER_PASSWORD = 'wizard-manager-pw-1';
const ACTIVATION_TOKEN = 'lab-activation-7f3c9a21';
/** Generous: a loaded 2-core machine runs code-server, Chromium and the lab's fake nodes at once. */
const RUN_TIMEOUT = 90_000;

/** Clicks one of the spec's code lenses (they call the wizard command with the document's Uri). */
async function clickLens(label: string): Promise<void> {
  const { page } = ui();
  const lens = page.locator('.part.editor .codelens-decoration a', { hasText: label }).first();
  await lens.waitFor({ timeout: 60_000 });
  await lens.click();
}

/** Waits for the wizard's phase, recording every step state seen on the way (read from the iframe). */
async function watchUntilPhase(phase: RegExp, timeout = RUN_TIMEOUT): Promise<Set<string>> {
  const frame = wizardFrame();
  const seen = new Set<string>();
  const deadline = Date.now() + timeout;
  for (;;) {
    const states = await frame
      .locator('#steps li.step')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-step')}=${e.getAttribute('data-state')}`))
      .catch(() => [] as string[]);
    for (const s of states) seen.add(s);
    const text = await frame
      .locator('#phase')
      .innerText({ timeout: 5000 })
      .catch(() => '');
    if (phase.test(text)) return seen;
    if (Date.now() > deadline)
      throw new Error(`the wizard stayed "${text}", never ${phase} (saw ${[...seen]})`);
    await ui().page.waitForTimeout(250);
  }
}

/** The extension's own log (its output channel), for failure messages: what the panel cannot show. */
function extensionLog(lines = 15): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/Gateway Clusters\.log$/.test(entry.name)) found.push(full);
    }
  };
  walk(path.join(ui().server.userDataDir, 'logs'));
  return found
    .map((file) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n'))
    .join('\n');
}

/** The panel's phase must be `succeeded`; else the failure it shows and the extension's log. */
async function assertSucceeded(): Promise<void> {
  const frame = wizardFrame();
  const phase = await frame.locator('#phase').innerText();
  if (phase === 'succeeded') return;
  const failure = await frame
    .locator('#failure')
    .innerText({ timeout: 1000 })
    .catch(() => '');
  assert.fail(`the wizard ended "${phase}": ${failure}\n--- extension log:\n${extensionLog()}`);
}

/** The chart step that stays running (its `microk8s helm3` hangs on the node), once it has for a while. */
async function waitForHangingStep(timeout = 60_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let candidate: string | undefined;
  let since = 0;
  for (;;) {
    const running = await wizardFrame()
      .locator('#steps li.step[data-state="running"]:is([data-step="storage"], [data-step="manager"])')
      .first()
      .getAttribute('data-step', { timeout: 2000 })
      .catch(() => null);
    if (running !== candidate) {
      candidate = running ?? undefined;
      since = Date.now();
    } else if (candidate && Date.now() - since > 2500) return candidate;
    if (Date.now() > deadline) throw new Error('no step kept running: the hang did not take');
    await ui().page.waitForTimeout(250);
  }
}

async function stepStates(): Promise<Record<string, string>> {
  const pairs = await wizardFrame()
    .locator('#steps li.step')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-step') ?? '', e.getAttribute('data-state') ?? '']),
    );
  return Object.fromEntries(pairs);
}

/** Types a value into the panel's input and saves it; the row then says it is stored. */
async function enterInput(key: string, value: string): Promise<void> {
  const frame = wizardFrame();
  const field = frame.locator(`vscode-textfield#input-${key} input`);
  await field.waitFor({ timeout: 30_000 });
  await field.fill(value);
  await frame.locator(`.input[data-key="${key}"] vscode-button`, { hasText: 'Save' }).click();
  await frame.locator(`.input.stored[data-key="${key}"]`).waitFor({ timeout: 30_000 });
}

/** Opens the spec in the editor (quick open), where its code lenses show. */
async function openSpec(): Promise<void> {
  const { page } = ui();
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(FILE);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: FILE }).first().waitFor();
  await page.keyboard.press('Enter');
  await page
    .locator('.part.editor .view-lines', { hasText: 'kind: GatewayCluster' })
    .first()
    .waitFor({ timeout: 60_000 });
}

async function saveShot(name: string, ...docs: string[]): Promise<void> {
  await ui().page.mouse.move(900, 700);
  await ui().page.waitForTimeout(300);
  const shot = await ui().screenshot(name);
  publishScreenshot(shot, ...docs);
}

describe('the wizards in the browser, against a live lab cluster', function () {
  this.timeout(300_000);
  // Registered first, so the editors close before the lab goes down.
  after(() => runCommand('View: Close All Editors').catch(() => {}));
  const suiteLab = useSuiteLab(
    LAB.name,
    { nodes: 3, state: 'fresh', subnetPrefix: LAB.subnetPrefix, sudoRequiresPassword: true },
    FILE,
  );
  const { lab } = suiteLab;

  it('preflight on fresh VMs from the code lens: sudo password and host keys in the panel, Join named next', async () => {
    const { page, server, workspace } = ui();
    await page.goto(server.workspaceUrl(workspace), { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT });
    await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
    await openSpec();
    await clickLens('Preflight');
    const frame = wizardFrame();
    await frame.locator('#title', { hasText: 'Preflight — lab-gateways' }).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('#phase').innerText(), 'ready');
    await enterInput('sudoPassword', suiteLab.info.password);
    const hostKeys = answerHostKeys(suiteLab.info.nodes);
    let trusted: string[];
    try {
      await frame.locator('vscode-button#start').click();
      await watchUntilPhase(/^(succeeded|failed|cancelled)$/);
    } finally {
      trusted = await hostKeys.stop();
    }
    // Fresh VMs are no failure: their OVA names and missing /etc/hosts lines are Join's to repair.
    await assertSucceeded();
    assert.deepEqual([...new Set(trusted)].sort(), suiteLab.info.nodes.map((n) => n.address).sort());
    const findings = await frame.locator('#findings li.finding').allInnerTexts();
    assert.ok(
      findings.some((f) => /Join nodes does this/.test(f)),
      `no finding says Join repairs it: ${findings.join(' | ')}`,
    );
    assert.equal(await frame.locator('#findings li.finding.error').count(), 0);
    assert.match(await frame.locator('#next-step').innerText(), /Next: Join Nodes/);
    assert.ok(!(await frame.locator('body').innerText()).includes(suiteLab.info.password));
    await saveShot('wizard-preflight', 'screenshot-wizard-preflight.png');
  });

  it('join from the panel’s next button: a dry run lists the steps, one Start takes the fresh VMs to HA', async () => {
    await wizardFrame().locator('vscode-button#open-next').click();
    const frame = wizardFrame();
    await frame.locator('#title', { hasText: 'Join Nodes — lab-gateways' }).waitFor({ timeout: 60_000 });
    await frame.locator('#steps li.step').first().waitFor({ timeout: 30_000 });
    assert.equal(
      await frame.locator('#steps li.step[data-state="pending"]').count(),
      await frame.locator('#steps li.step').count(),
    );

    await frame.locator('vscode-button#dry-run').click();
    await frame.locator('h2', { hasText: 'Plan (dry run — nothing executed)' }).waitFor({ timeout: 30_000 });
    const titles = await frame.locator('#steps li.step .step-title').allInnerTexts();
    assert.deepEqual(titles.slice(0, 5), [
      'Preflight checks',
      'Add the nodes to /etc/hosts',
      'Rename nodes to their spec hostnames',
      'Fetch the cluster kubeconfig',
      'Join nodes to the cluster',
    ]);
    const joinStep = frame.locator('#steps li.step[data-step="join"]');
    await joinStep.locator('button.output-toggle').click();
    const text = await joinStep.locator('pre.output').innerText();
    assert.match(text, /microk8s add-node/);
    assert.match(text, /microk8s join/);
    assert.match(text, /••••/, 'the join token shows masked');
    assert.match(await frame.locator('#notice').innerText(), /Nothing was executed/);
    assert.equal(await frame.locator('#steps li.step:not([data-state="pending"])').count(), 0);
    assert.match(
      (await frame.locator('body').getAttribute('class')) ?? '',
      /vscode-(light|dark|high-contrast)/,
    );

    // One Start: no fix to apply first, no second run.
    const hostKeys = answerHostKeys(suiteLab.info.nodes);
    let seen: Set<string>;
    try {
      await frame.locator('vscode-button#start').click();
      seen = await watchUntilPhase(/^(succeeded|failed|cancelled)$/);
    } finally {
      await hostKeys.stop();
    }
    await assertSucceeded();
    assert.ok(
      [...seen].some((s) => s.endsWith('=running')),
      `no step was seen running: ${[...seen]}`,
    );
    const states = await stepStates();
    for (const step of ['preflight', 'hosts', 'rename', 'kubeconfig', 'join', 'verify'])
      assert.equal(states[step], 'succeeded', `${step}: ${JSON.stringify(states)}`);
    assert.deepEqual(
      await frame.locator('#findings li.finding').count(),
      0,
      'no stale findings after the join',
    );
    assert.match(await frame.locator('#next-step').innerText(), /Next: Deploy Gateway Services/);
    await frame
      .locator('#steps')
      .scrollIntoViewIfNeeded({ timeout: 5000 })
      .catch(() => undefined);
    await saveShot('wizard-join', 'screenshot-wizard-join.png', 'screenshot-wizard.png');
  });

  it('keeps each node’s name and time on one line when its summary wraps (a narrow panel)', async () => {
    const { page } = ui();
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 640, height: size.height });
    try {
      // Lines each part of a node row takes (no named helpers inside: the page has no __name).
      const lines = async () =>
        wizardFrame()
          .locator('#steps li.node')
          .evaluateAll((rows) =>
            rows.map((row) => {
              const [nameLines, noteLines, timeLines] = ['.node-name', '.note', '.elapsed'].map(
                (selector) => {
                  const el = row.querySelector(selector);
                  if (!el) return 0;
                  const range = document.createRange();
                  range.selectNodeContents(el);
                  return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
                },
              );
              return {
                node: row.getAttribute('data-node'),
                nameLines: nameLines ?? 0,
                noteLines: noteLines ?? 0,
                timeLines: timeLines ?? 0,
              };
            }),
          );
      let rows = await lines();
      const deadline = Date.now() + 10_000;
      while (!rows.some((r) => r.noteLines > 1) && Date.now() < deadline) {
        await page.waitForTimeout(200);
        rows = await lines();
      }
      assert.ok(
        rows.some((r) => r.noteLines > 1),
        `no summary wrapped: ${JSON.stringify(rows)}`,
      );
      await ui().screenshot('wizard-join-narrow');
      for (const row of rows) {
        assert.equal(row.nameLines, 1, `the name wrapped: ${JSON.stringify(row)}`);
        assert.ok(row.timeLines <= 1, `the time wrapped: ${JSON.stringify(row)}`);
      }
    } finally {
      await page.setViewportSize(size);
    }
  });

  it('deploys: cancelled while a step hangs on a node, resumed, finishes with the services', async () => {
    await wizardFrame().locator('vscode-button#open-next').click();
    const frame = wizardFrame();
    await frame.locator('#title', { hasText: 'Deploy' }).waitFor({ timeout: 60_000 });
    await enterInput('managerPassword', MANAGER_PASSWORD);

    // `microk8s helm3` hangs on gw-1 until cleared: the first chart step stays running (after dns and
    // metallb, which the lab enables at once).
    await lab.inject({ kind: 'hangCommand', node: 1, command: 'helm3' });
    let hung: string;
    try {
      await frame.locator('vscode-button#start').click();
      hung = await waitForHangingStep();
      await frame.locator('vscode-button#cancel:not([disabled])').click();
      await watchUntilPhase(/^cancelled$/, 60_000);
    } finally {
      await lab.inject({ kind: 'clearHang', node: 1 });
    }
    const cancelled = await stepStates();
    assert.equal(cancelled[hung], 'cancelled', JSON.stringify(cancelled));
    const order = Object.keys(cancelled);
    for (const later of order.slice(order.indexOf(hung) + 1))
      assert.equal(
        cancelled[later],
        'pending',
        `${later} ran after the cancel: ${JSON.stringify(cancelled)}`,
      );
    assert.ok(!(await frame.locator('#steps li.step[data-state="failed"]').count()));

    await frame.locator('vscode-button#resume').click();
    await watchUntilPhase(/^(?!cancelled$)/, 30_000); // the resume has begun
    await watchUntilPhase(/^(succeeded|failed|cancelled)$/);
    await assertSucceeded();
    const states = await stepStates();
    assert.ok(
      Object.values(states).every((s) => s === 'succeeded' || s === 'skipped'),
      JSON.stringify(states),
    );
    assert.equal(states[hung], 'succeeded', 'the cancelled step ran again on resume');
    const snapshot = await lab.snapshot();
    assert.equal(snapshot.addons.dns, true);
    assert.equal(
      snapshot.services.find((s) => s.name === 'gateway-manager')?.loadBalancerIp,
      suiteLab.info.floatingIp,
    );
    await frame.locator('vscode-button#open-manager').waitFor({ timeout: 10_000 });
    assert.ok(!(await frame.locator('body').innerText()).includes(MANAGER_PASSWORD));
    await saveShot('wizard-deploy', 'screenshot-wizard-deploy.png');
  });

  it('registers: the Gateway Manager moves to connected', async () => {
    await wizardFrame().locator('vscode-button#open-next').click();
    const frame = wizardFrame();
    await frame.locator('#title', { hasText: 'Register' }).waitFor({ timeout: 60_000 });
    await enterInput('activationToken', ACTIVATION_TOKEN);
    await frame.locator('vscode-button#start').click();
    await watchUntilPhase(/^(succeeded|failed|cancelled)$/);
    await assertSucceeded();
    await frame.locator('li.reg-state.reached[data-state="connected"]').waitFor({ timeout: 30_000 });
    assert.equal((await lab.snapshot()).registration?.state, 'connected');
    assert.ok(!(await frame.locator('body').innerText()).includes(ACTIVATION_TOKEN));
    // The end of the procedure: the Gateway Manager, from the panel.
    assert.match(await frame.locator('#next-step').innerText(), /The cluster is registered/);
    await frame.locator('vscode-button#open-manager').waitFor({ timeout: 10_000 });
    await saveShot('wizard-register', 'screenshot-wizard-register.png');
  });
});
