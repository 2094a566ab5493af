// Prepares the extension-host suite for F5 "Extension Tests" in desktop VS Code (.vscode/launch.json):
// builds the extension, bundles the suite to out/host-tests and makes a fresh, empty workspace folder.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/code-server';
import { buildHostTests, buildTestSeams, ensureBuilt } from './support';

async function main(): Promise<void> {
  ensureBuilt();
  await buildTestSeams();
  const entry = await buildHostTests();
  const workspace = path.join(REPO_ROOT, 'out', 'host-tests-workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  console.log(`suite: ${path.relative(REPO_ROOT, entry)}\nworkspace: ${path.relative(REPO_ROOT, workspace)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
