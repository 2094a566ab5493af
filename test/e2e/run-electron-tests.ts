// Extension-host tier, runner 2: the same suite (test/e2e/host) in desktop VS Code through
// @vscode/test-electron. It downloads VS Code into .vscode-test/ on first use, so it needs internet access:
// it is not part of `npm test` here (runner 1, code-server, is). VSCODE_VERSION picks the version (default
// stable); Linux without a display needs `xvfb-run -a npm run test:electron`.
import fs from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT, makeTempDir } from '../../scripts/code-server';
import {
  RESULTS_DIR,
  buildHostTests,
  buildTestSeams,
  ensureBuilt,
  errorText,
  writeCounts,
  type Counts,
} from './support';

async function main(): Promise<number> {
  ensureBuilt();
  await buildTestSeams();
  const extensionTestsPath = await buildHostTests();
  const workspace = makeTempDir('gc-electron-workspace');
  const resultsFile = path.join(RESULTS_DIR, 'electron', 'results.json');
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.rmSync(resultsFile, { force: true });
  fs.rmSync(`${resultsFile}.log`, { force: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath,
      extensionTestsEnv: { GC_HOST_RESULTS: resultsFile, GC_TEST_HOOKS: '1' },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--no-sandbox',
      ],
    });
  } catch (error) {
    console.error(`VS Code exited with an error: ${errorText(error)}`);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  let counts: Counts = { passed: 0, failed: 1, pending: 0 };
  if (fs.existsSync(resultsFile)) counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Counts;
  else console.error(`The suite wrote no results to ${resultsFile}.`);
  const reported: Counts = { passed: counts.passed, failed: counts.failed, pending: counts.pending };
  writeCounts(reported, 'extension host (desktop VS Code)');
  return reported.failed === 0 && reported.pending === 0 && reported.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorText(error));
    writeCounts({ passed: 0, failed: 1, pending: 0 }, 'extension host (desktop VS Code)');
    process.exit(1);
  },
);
