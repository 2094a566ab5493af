// Entry point the extension host loads as extensionTestsPath: runs the bundled suites next to this file
// with mocha and writes the counts (and a transcript) where the runner asked, via GC_HOST_RESULTS.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export interface HostResults {
  passed: number;
  failed: number;
  pending: number;
  failures: Array<{ title: string; error: string }>;
  transcript: string[];
}

function collectTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return collectTestFiles(full);
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}

export function run(): Promise<void> {
  const resultsFile = process.env.GC_HOST_RESULTS;
  const transcript: string[] = [];
  const note = (line: string) => {
    transcript.push(line);
    // Appended as it goes, so the runner can stream progress and show where a hang happened.
    if (resultsFile) fs.appendFileSync(`${resultsFile}.log`, `${line}\n`);
    console.log(line);
  };
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    forbidOnly: true,
    forbidPending: true,
  });
  // GC_HOST_FILES=tree,views runs only the files whose names contain one of the words (while developing).
  const only = (process.env.GC_HOST_FILES ?? '').split(',').filter(Boolean);
  for (const file of collectTestFiles(__dirname))
    if (only.length === 0 || only.some((word) => path.basename(file).includes(word))) mocha.addFile(file);

  return new Promise<void>((resolve) => {
    let passed = 0;
    let failed = 0;
    let pending = 0;
    const failures: HostResults['failures'] = [];
    const runner = mocha.run();
    const depth = (test: Mocha.Runnable) => '  '.repeat(Math.max(0, test.titlePath().length - 1));
    runner.on(
      'suite',
      (suite) => suite.title && note(`${'  '.repeat(suite.titlePath().length - 1)}${suite.title}`),
    );
    runner.on('pass', (test) => {
      passed++;
      note(`${depth(test)}✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on('pending', (test) => {
      pending++;
      note(`${depth(test)}- ${test.title} (pending)`);
    });
    runner.on('fail', (test, error: Error) => {
      failed++;
      failures.push({
        title: test.fullTitle(),
        error: (error.stack ?? error.message).split('\n').slice(0, 12).join('\n'),
      });
      note(`${depth(test)}✘ ${test.fullTitle()}\n${error.stack ?? error.message}`);
    });
    runner.once('end', () => {
      note(`${passed} passed, ${failed} failed, ${pending} pending (in the extension host)`);
      if (resultsFile) {
        const results: HostResults = { passed, failed, pending, failures, transcript };
        fs.writeFileSync(resultsFile, JSON.stringify(results));
      }
      // Resolve either way: the runner reads the counts; rejecting would only add a host error dialog.
      resolve();
    });
  }).catch((error: unknown) => {
    // mocha could not even start (e.g. a suite failed to load): still report, as a failure.
    const results: HostResults = {
      passed: 0,
      failed: 1,
      pending: 0,
      failures: [{ title: 'host suite did not start', error: String(error) }],
      transcript: [String(error)],
    };
    if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(results));
    throw error;
  });
}
