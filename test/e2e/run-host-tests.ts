// Extension-host tier (runner 1): the mocha suite in test/e2e/host runs inside code-server's real extension
// host, opened headless in Debian's Chromium. Offline; tools come from scripts/ensure-tools.ts.
import fs from 'node:fs';
import path from 'node:path';
import { ensureTools } from '../../scripts/ensure-tools';
import { REPO_ROOT, makeTempDir, runExtensionTests } from '../../scripts/code-server';
import { createLab } from '../lab/index';
import {
  HOST_LAB,
  HOST_TEST_RUNS_DIR,
  RESULTS_DIR,
  buildHostTests,
  buildTestSeams,
  ensureBuilt,
  errorText,
  writeCounts,
  type Counts,
} from './support';

async function main(): Promise<number> {
  const started = Date.now();
  const tools = await ensureTools();
  ensureBuilt();
  await buildTestSeams();
  // Own bundle and results file per run: two runs at once (several engineers, one checkout) stay apart.
  const bundleDir = path.join(HOST_TEST_RUNS_DIR, String(process.pid));
  const testsEntry = await buildHostTests(bundleDir);
  const workspace = makeTempDir('gc-host-workspace');
  const scratch = makeTempDir('gc-host-results');
  const resultsFile = path.join(scratch, 'results.json');
  const reportDir = path.join(RESULTS_DIR, 'host');

  // The live-cluster suites need the lab (root): up before the host starts, down after it ends.
  const lab = createLab(HOST_LAB.name);
  // GC_TEST_HOOKS: activate() waits for the features and returns the test hooks (src/extension.ts).
  const labEnv: Record<string, string> = { GC_TEST_HOOKS: '1' };
  try {
    const labStarted = Date.now();
    await lab.up({
      nodes: HOST_LAB.nodes,
      state: HOST_LAB.state,
      subnetPrefix: HOST_LAB.subnetPrefix,
      timeScale: HOST_LAB.timeScale,
    });
    labEnv.GC_E2E_LAB = lab.name;
    console.log(
      `lab ${lab.name} up (${HOST_LAB.nodes} nodes, ${HOST_LAB.state}): ${Date.now() - labStarted} ms`,
    );
  } catch (error) {
    // Not skipped: the suites that need the lab fail with this reason.
    labEnv.GC_E2E_LAB_ERROR = errorText(error).split('\n')[0] ?? 'lab did not come up';
    console.error(`lab ${lab.name} did not come up: ${labEnv.GC_E2E_LAB_ERROR}`);
  }

  let counts: Counts = { passed: 0, failed: 1, pending: 0 };
  try {
    const text = await runExtensionTests(tools, {
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: testsEntry,
      workspace,
      resultsFile,
      env: labEnv,
      diagnosticsDir: reportDir,
      onProgress: (chunk) => process.stdout.write(chunk),
    });
    const results = JSON.parse(text) as Counts;
    counts = {
      passed: results.passed,
      failed: results.failed,
      pending: results.pending,
      failures: results.failures,
    };
  } catch (error) {
    console.error(`\nExtension-host tier failed to run:\n${errorText(error)}`);
  } finally {
    await lab.down().catch((error: unknown) => console.error(`lab ${lab.name} down: ${errorText(error)}`));
    // Keep the transcript with the other results; drop the scratch folders.
    fs.mkdirSync(reportDir, { recursive: true });
    for (const name of ['results.json', 'results.json.log']) {
      if (fs.existsSync(path.join(scratch, name)))
        fs.copyFileSync(path.join(scratch, name), path.join(reportDir, name));
    }
    for (const dir of [workspace, scratch, bundleDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
  writeCounts(counts, `extension host (code-server), ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return counts.failed === 0 && counts.pending === 0 && counts.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    writeCounts({ passed: 0, failed: 1, pending: 0 }, 'extension host (code-server)');
    process.exit(1);
  },
);
