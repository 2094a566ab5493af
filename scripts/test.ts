/**
 * `npm test`: the gates (types, lint, format), then every test tier, each reporting its counts to
 * test-results/<tier>.json. Ends with the plain line `N passed, N failed` summed over the tiers.
 * A tier that cannot run (missing tools, not root) fails; nothing is skipped.
 * GC_TEST_TIERS=unit,integration runs a subset while developing (CI runs them all).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

interface Counts {
  passed: number;
  failed: number;
  pending: number;
}

interface Failure {
  title: string;
  file?: string;
  error: string;
}

const resultsDir = path.resolve('test-results');
const allTiers = ['unit', 'integration', 'host', 'ui'] as const;
type Tier = (typeof allTiers)[number];
const tierCommands: Record<Tier, string[]> = {
  // The file globs are given here, not in .mocharc: a spec in the config is added to, never replaced by,
  // files named on the command line, so `npx mocha --config … FILE` could not run one file.
  unit: ['npx', 'mocha', '--config', 'test/unit/.mocharc.json', 'test/unit/**/*.test.ts'],
  integration: [
    'npx',
    'mocha',
    '--config',
    'test/integration/.mocharc.json',
    'test/integration/**/*.test.ts',
  ],
  host: ['npx', 'tsx', 'test/e2e/run-host-tests.ts'],
  ui: ['npx', 'tsx', 'test/e2e/run-ui-tests.ts'],
};
const selected = (process.env.GC_TEST_TIERS?.split(',') ?? [...allTiers]).filter((t): t is Tier =>
  (allTiers as readonly string[]).includes(t),
);

function run(label: string, argv: string[], env: NodeJS.ProcessEnv = {}): number {
  const started = Date.now();
  console.log(`\n▶ ${label}: ${argv.join(' ')}`);
  const result = spawnSync(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
  const status = result.status ?? 1;
  console.log(
    `◀ ${label}: ${status === 0 ? 'ok' : `exit ${status}`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status;
}

function main(): number {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const total: Counts = { passed: 0, failed: 0, pending: 0 };
  const rows: string[] = [];
  const failures: Array<Failure & { tier: Tier }> = [];

  // Gates: each counts as one check, so a red gate shows in the summary line too.
  const gates: Array<[string, string[]]> = [
    ['typecheck', ['npx', 'tsc', '-p', '.', '--noEmit']],
    ['lint', ['npx', 'eslint', '.']],
    ['format', ['npx', 'prettier', '--check', '.']],
  ];
  for (const [label, argv] of gates) {
    const ok = run(label, argv) === 0;
    total[ok ? 'passed' : 'failed']++;
    rows.push(`${label.padEnd(12)} ${ok ? 'ok' : 'FAILED'}`);
  }

  // Tools (code-server, its Node, Chromium, sshd…) and the packaged extension that the tiers run against.
  const needsTools = selected.some((t) => t !== 'unit');
  if (needsTools && run('tools', ['npx', 'tsx', 'scripts/ensure-tools.ts']) !== 0) {
    total.failed++;
    rows.push('tools        FAILED (see the message above for the command to run)');
  }
  const buildOk = run('build', ['npm', 'run', '--silent', 'build']) === 0;
  const packageOk = !selected.includes('ui') || run('package', ['npm', 'run', '--silent', 'package']) === 0;
  if (!buildOk || !packageOk) {
    total.failed++;
    rows.push('build        FAILED');
  }

  for (const tier of selected) {
    const file = path.join(resultsDir, `${tier}.json`);
    const status = run(`tier ${tier}`, tierCommands[tier], { GC_RESULTS_FILE: file });
    let counts: Counts = { passed: 0, failed: 0, pending: 0 };
    if (existsSync(file)) {
      const report = JSON.parse(readFileSync(file, 'utf8')) as Partial<Counts> & { failures?: Failure[] };
      counts = { passed: report.passed ?? 0, failed: report.failed ?? 0, pending: report.pending ?? 0 };
      for (const failure of report.failures ?? []) failures.push({ ...failure, tier });
    }
    // A tier that crashed, reported nothing, or exited non-zero with no failure counted, still fails.
    if (status !== 0 && counts.failed === 0) counts.failed = 1;
    if (counts.passed + counts.failed === 0) counts.failed = 1;
    total.passed += counts.passed;
    total.failed += counts.failed + counts.pending; // skipped tests are not allowed: they count as failures
    rows.push(
      `${tier.padEnd(12)} ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} skipped`,
    );
  }

  // Failed tests are named last, next to the counts: CI keeps only the tail of a long log.
  if (failures.length > 0) {
    console.log('\nFailed tests');
    for (const failure of failures) {
      console.log(`  [${failure.tier}] ${failure.title}${failure.file ? ` (${failure.file})` : ''}`);
      for (const line of failure.error.split('\n').slice(0, 6)) console.log(`      ${line}`);
    }
  }
  console.log('\nSummary');
  for (const row of rows) console.log(`  ${row}`);
  console.log(`\n${total.passed} passed, ${total.failed} failed`);
  return total.failed === 0 ? 0 : 1;
}

process.exit(main());
