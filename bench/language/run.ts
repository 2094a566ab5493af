/**
 * `npx tsx bench/language/run.ts`: edit → diagnostics and completion latency of the language features inside
 * code-server's real extension host (the built extension, dist/extension.js). Prints the numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT, makeTempDir, runExtensionTests } from '../../scripts/code-server';
import { ensureTools } from '../../scripts/ensure-tools';
import { ensureBuilt } from '../../test/e2e/support';

async function main(): Promise<void> {
  const tools = await ensureTools();
  ensureBuilt();
  const outDir = path.join(REPO_ROOT, 'out', 'language-bench');
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'bench', 'language', 'host-bench.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const workspace = makeTempDir('gc-language-bench');
  const resultsFile = path.join(outDir, 'results.json');
  try {
    const text = await runExtensionTests(tools, {
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(outDir, 'index.js'),
      workspace,
      resultsFile,
      timeoutMs: 900_000,
      onProgress: (chunk) => process.stdout.write(chunk),
    });
    const parsed = JSON.parse(text) as { failed: number; results: Record<string, number> };
    console.log(JSON.stringify(parsed.results, null, 2));
    if (parsed.failed > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
