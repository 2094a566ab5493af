// Validation benchmark: `npx tsx bench/validate/run.ts`. Prints, not asserts (see docs/performance.md).
// (a) yaml parsing with ranges alone, (b) our full validation, (c) yaml-language-server 1.25 validating the
// same text against our schema; then the CLI's whole-process time next to `node -e 0`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { LineCounter, parseAllDocuments } from 'yaml';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { clusterSchema, validateText } from '../../src/spec';
import { generateSpec } from './spec-generator';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function time(runs: number, task: (run: number) => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await task(-1 - i); // warm up the JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await task(i);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function yamlLanguageService(): ReturnType<typeof getLanguageService> {
  const service = getLanguageService({
    schemaRequestService: () => Promise.reject(new Error('no schema requests in the benchmark')),
    workspaceContext: { resolveRelativePath: (relative) => relative },
  });
  service.configure({
    validate: true,
    completion: false,
    hover: false,
    schemas: [{ uri: 'file:///cluster.schema.json', fileMatch: ['*.yaml'], schema: clusterSchema as never }],
  });
  return service;
}

async function main(): Promise<void> {
  const service = yamlLanguageService();
  // The service must really apply our schema, or the comparison means nothing.
  const broken = generateSpec(3).replace('port: 22', 'port: "22"').replace('topology: ha', 'topology: HA');
  const diagnostics = await service.doValidation(
    TextDocument.create('file:///bench/check/cluster.yaml', 'yaml', 1, broken),
    false,
  );
  if (diagnostics.length < 2)
    throw new Error(`yaml-language-server did not apply the schema: ${JSON.stringify(diagnostics)}`);
  console.log(
    `yaml-language-server schema check: ${diagnostics.length} diagnostics on a broken spec (expected 2)`,
  );
  const rows: string[] = [];
  console.log(`median of ${RUNS} runs (ms)`);
  console.log(
    'nodes | chars | (a) yaml parse | (b) validateText | (c) yaml-language-server | (b)/(a) | (c)/(b)',
  );
  for (const nodes of [3, 300, 3000]) {
    const text = generateSpec(nodes);
    const findings = validateText(text, 'cluster.yaml', { offline: true }).findings;
    if (findings.some((f) => f.severity === 'error'))
      throw new Error(`generated spec has errors: ${JSON.stringify(findings[0])}`);
    const parse = await time(RUNS, () => parseAllDocuments(text, { lineCounter: new LineCounter() }));
    const ours = await time(RUNS, () => validateText(text, 'cluster.yaml', { offline: true }));
    // A new URI per run: the service caches parsed documents by URI and version.
    const theirs = await time(RUNS, (run) =>
      service.doValidation(
        TextDocument.create(`file:///bench/${nodes}/${run}/cluster.yaml`, 'yaml', 1, text),
        false,
      ),
    );
    const row = `${nodes} | ${text.length} | ${parse.toFixed(2)} | ${ours.toFixed(2)} | ${theirs.toFixed(2)} | ${(ours / parse).toFixed(2)} | ${(theirs / ours).toFixed(2)}`;
    console.log(row);
    rows.push(row);
  }

  const dir = mkdtempSync(join(tmpdir(), 'gateway-cluster-bench-'));
  try {
    const cli = join(dir, 'cli.js');
    buildSync({
      entryPoints: ['src/cli/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: cli,
      banner: { js: '#!/usr/bin/env node' },
      logLevel: 'error',
    });
    const file = join(dir, 'cluster.yaml');
    writeFileSync(file, generateSpec(3));
    const cliRuns = Math.max(10, Math.min(RUNS, 30));
    const bare = await time(cliRuns, () => spawnSync(process.execPath, ['-e', '0']));
    const whole = await time(cliRuns, () => {
      const result = spawnSync(process.execPath, [cli, 'validate', '--offline', file]);
      if (result.status !== 0) throw new Error(`CLI failed: ${String(result.stdout)}`);
    });
    console.log(
      `CLI whole process on the 3-node file: ${whole.toFixed(1)} ms; node -e 0: ${bare.toFixed(1)} ms; difference ${(whole - bare).toFixed(1)} ms (median of ${cliRuns})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
