/**
 * `npx tsx bench/language/run.ts`: edit → diagnostics and completion latency of the language features inside
 * code-server's real extension host (the built extension, dist/extension.js). Prints the numbers.
 */
import fs from 'node:fs';
import { makeTempDir } from '../../scripts/code-server';
import { ensureTools } from '../../scripts/ensure-tools';
import { ensureBuilt } from '../../test/e2e/support';
import { buildHostBench, runHostBench } from '../support/host-bench';

async function main(): Promise<void> {
  const tools = await ensureTools();
  ensureBuilt();
  const outDir = await buildHostBench('language');
  const workspace = makeTempDir('gc-language-bench');
  try {
    const parsed = await runHostBench<Record<string, number>>(tools, outDir, workspace, {
      timeoutMs: 900_000,
    });
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
