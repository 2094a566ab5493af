// Extension-host tier (runner 1): the mocha suite in test/e2e/host runs inside code-server's real extension
// host, opened headless in Debian's Chromium. Offline; tools come from scripts/ensure-tools.ts.
import fs from 'node:fs';
import path from 'node:path';
import { ensureTools } from '../../scripts/ensure-tools';
import { REPO_ROOT, makeTempDir, runExtensionTests } from '../../scripts/code-server';
import { RESULTS_DIR, buildHostTests, ensureBuilt, errorText, writeCounts, type Counts } from './support';

async function main(): Promise<number> {
  const started = Date.now();
  const tools = await ensureTools();
  ensureBuilt();
  const testsEntry = await buildHostTests();
  const workspace = makeTempDir('gc-host-workspace');
  const resultsFile = path.join(RESULTS_DIR, 'host', 'results.json');
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });

  let counts: Counts = { passed: 0, failed: 1, pending: 0 };
  try {
    const text = await runExtensionTests(tools, {
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: testsEntry,
      workspace,
      resultsFile,
      diagnosticsDir: path.join(RESULTS_DIR, 'host'),
      onProgress: (chunk) => process.stdout.write(chunk),
    });
    const results = JSON.parse(text) as Counts;
    counts = { passed: results.passed, failed: results.failed, pending: results.pending };
  } catch (error) {
    console.error(`\nExtension-host tier failed to run:\n${errorText(error)}`);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
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
